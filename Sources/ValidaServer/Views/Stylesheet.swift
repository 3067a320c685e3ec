import Vapor

/// The one stylesheet: small, hand-written, readable contrast (text at least 7:1, controls
/// 4.5:1), visible focus, and a print layout for documents.
enum Stylesheet {
    static func response(_ request: Request) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.cacheControl = .init(maxAge: 3600)
        return Response(status: .ok, headers: headers, body: .init(string: css))
    }

    static let css = """
        :root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b4f8a; --ok: #11622b; --ko: #a1141b; --wait: #6b4e00; --bg: #ffffff; --soft: #f3f5f8; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid #e0a100; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
        header.site { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem 2rem; padding: .75rem 1.5rem; background: var(--accent); color: #fff; }
        header.site a, header.site button.link { color: #fff; }
        .brand { font-weight: 700; font-size: 1.25rem; text-decoration: none; }
        nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; margin: 0; padding: 0; }
        nav a[aria-current] { font-weight: 700; text-decoration-thickness: 3px; }
        main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.75rem; margin-top: 0; }
        h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
        .flash { background: #e6f2e9; border-left: 4px solid var(--ok); padding: .75rem 1rem; }
        .errors { background: #fbe9ea; border-left: 4px solid var(--ko); padding: .5rem 1rem; margin-bottom: 1rem; }
        .field { margin: 0 0 1rem; display: flex; flex-direction: column; gap: .25rem; max-width: 32rem; }
        .field label { font-weight: 600; }
        .check { margin: 0 0 .5rem; display: flex; align-items: baseline; gap: .5rem; max-width: 48rem; }
        .hint { color: var(--muted); font-size: .9rem; }
        .error { color: var(--ko); font-weight: 600; }
        input, select, textarea { font: inherit; padding: .4rem .5rem; border: 1px solid #6b6b6b; border-radius: 4px; }
        .invalid input, .invalid select { border: 2px solid var(--ko); }
        button { font: inherit; padding: .45rem 1rem; border: 0; border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
        button.link { background: none; padding: 0; text-decoration: underline; }
        form.inline { display: inline; }
        table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
        th, td { border: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
        thead th { background: var(--soft); }
        .matrix td, .matrix th { text-align: center; }
        .scroll { overflow-x: auto; max-width: 100%; }
        .status { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-weight: 600; font-size: .9rem; }
        .validated, .acquired { color: var(--ok); }
        .not-validated, .not-acquired { color: var(--ko); }
        .incomplete, .deferred, .unassessable { color: var(--wait); }
        .explanation { color: var(--muted); font-size: .95rem; }
        fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 1rem; }
        legend { font-weight: 600; padding: 0 .25rem; }
        .levels { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
        .actions { display: flex; gap: 1rem; margin-top: 1rem; }
        .muted { color: var(--muted); }
        .prose, dd { white-space: pre-line; }
        @media print { header.site, nav, .actions, .skip { display: none; } main { max-width: none; padding: 0; } body { font-size: 11pt; } @page { size: A4; margin: 18mm; } }
        """
}
