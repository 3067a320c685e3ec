import Vapor

extension APIProblem {
    /// An operation's refusal as the API answers it: 422, `reason` in general and the
    /// operation's French message for each field at fault, under its JSON name.
    init<Field>(_ refusal: Refusal<Field>, reason: String) {
        self.init(status: .unprocessableEntity, reason: reason, fields: refusal.byName())
    }
}

extension Result {
    /// The value written, or the refusal thrown as the API's 422.
    func orRefuse<Field>(_ reason: String) throws -> Success where Failure == Refusal<Field> {
        switch self {
        case .success(let value): return value
        case .failure(let refusal): throw APIProblem(refusal, reason: reason)
        }
    }
}
