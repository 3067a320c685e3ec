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
        .table-scroll { overflow-x: auto; max-width: 100%; margin: 1rem 0; }
        .table-scroll > table { margin: 0; }
        ul.todo { list-style: none; padding: 0; margin: 1rem 0; display: grid; gap: .5rem; }
        ul.todo li { border: 1px solid var(--line); border-left: 6px solid var(--accent); border-radius: 4px; padding: .5rem .75rem; }
        ul.todo li.todo-urgent { border-left-color: var(--ko); }
        ul.todo li.todo-info { border-left-color: var(--ok); }
        ul.todo a { display: flex; align-items: baseline; gap: .75rem; min-height: 44px; align-items: center; font-weight: 600; }
        ul.todo .count { min-width: 2.5rem; text-align: center; padding: .1rem .4rem; border-radius: 1rem; background: var(--soft); color: var(--ink); }
        ul.todo .tone { color: var(--ko); }
        ul.todo .detail { display: block; color: var(--muted); font-size: .9rem; }
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
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
        .matrix-box { position: relative; overflow: auto; max-width: 100%; max-height: 80vh; margin: 1rem 0; border: 1px solid var(--line); }
        .matrix-box > table { margin: 0; border-collapse: separate; border-spacing: 0; }
        .matrix-box thead th { position: sticky; top: 0; z-index: 2; }
        .matrix-box tbody th, .matrix-box tfoot th, .matrix-box thead th:first-child { position: sticky; left: 0; z-index: 1; background: var(--bg); text-align: left; }
        .matrix-box thead th:first-child { z-index: 3; background: var(--soft); }
        .matrix.compact th, .matrix.compact td { padding: .15rem .4rem; white-space: nowrap; }
        .matrix.compact thead th { white-space: normal; min-width: 2.5rem; }
        form.inline-filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; }
        form.inline-filters .field { min-width: 12rem; flex: 1 1 12rem; }
        form.inline-filters .check, form.inline-filters button { margin-bottom: 1rem; }
        .matrix.compact td.abstain { white-space: normal; min-width: 4rem; font-size: .85rem; text-align: left; }
        .matrix .d { font-weight: 700; }
        .matrix .d.pending > span[aria-hidden] { font-weight: 400; border: 1px dashed var(--muted); border-radius: 3px; padding: 0 .25rem; color: var(--muted); }
        .matrix-sticky thead th:first-child, .matrix-sticky th[scope=row] { position: sticky; left: 0; background: var(--bg); z-index: 1; }
        details.legend dl { margin: .25rem 0; } details.legend dt { font-weight: 600; } details.legend dd { margin-left: 1rem; }
        .legend-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0 1.5rem; }
        form.decisions .choice { display: inline-flex; align-items: center; min-height: 44px; margin-right: 1rem; }
        details.block > summary { cursor: pointer; font-size: 1.3rem; font-weight: 600; padding: .5rem 0; border-bottom: 1px solid var(--line); }
        /* Phones and touch: 44 px targets, nothing wider than the screen, tables scrolling in their own box. */
        img, svg, video, canvas, iframe { max-width: 100%; height: auto; }
        main { overflow-wrap: break-word; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; }
        input, select, textarea { max-width: 100%; }
        button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]) { min-height: 44px; }
        button.link { min-height: 44px; }
        nav a { display: inline-flex; align-items: center; min-height: 44px; }
        input[type=radio], input[type=checkbox] { width: 1.5rem; height: 1.5rem; margin: 0; flex: none; accent-color: var(--accent); }
        .levels > div, .check { display: flex; align-items: center; gap: .5rem; }
        .levels label, .check label, label.choice { display: inline-flex; align-items: center; min-height: 44px; }
        .phone-menu { display: none; }
        .phone-menu > summary { display: flex; align-items: center; min-height: 44px; padding: 0 1rem; border: 1px solid #fff; border-radius: 4px; cursor: pointer; font-weight: 600; list-style: none; }
        .phone-menu > summary::-webkit-details-marker { display: none; }
        .phone-menu > summary::before { content: "☰ "; white-space: pre; }
        .phone-menu[open] > summary::before { content: "✕ "; }
        @media (max-width: 47.99rem) {
          header.site { padding: .5rem 1rem; gap: .5rem; justify-content: space-between; }
          header.site > nav { display: none; }
          .phone-menu { display: block; }
          .phone-menu[open] { flex-basis: 100%; order: 3; }
          .phone-menu nav ul { flex-direction: column; gap: 0; margin-top: .5rem; }
          .phone-menu nav li { border-top: 1px solid rgba(255, 255, 255, .35); }
          .phone-menu nav a, .phone-menu nav button.link { width: 100%; min-height: 48px; text-align: left; }
          main { padding: 1rem; }
          h1 { font-size: 1.45rem; }
          h2 { font-size: 1.2rem; }
          table { display: block; overflow-x: auto; max-width: 100%; }
          .table-scroll > table, .scroll > table, .matrix-box > table { display: table; }
          .actions, .filters { flex-wrap: wrap; }
          .field, .check { max-width: 100%; }
          ul.todo a { align-items: flex-start; }
          caption { text-align: left; }
          dd { margin-left: 1rem; }
        }
        @media print { header.site, nav, .phone-menu, .actions, .skip { display: none; } main { max-width: none; padding: 0; } body { font-size: 11pt; } @page { size: A4; margin: 18mm; } }
        """
}
