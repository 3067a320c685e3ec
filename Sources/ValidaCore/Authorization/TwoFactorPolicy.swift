/// Who must sign in with a second factor: when the certifier's settings ask for it, the
/// certification manager and every jury president (whatever their account's role). Anyone
/// else may choose to.
public enum TwoFactorPolicy {
    public static func isRequired(role: Role, presidesAJury: Bool, requiredBySettings: Bool) -> Bool {
        requiredBySettings && (role == .certificationManager || presidesAJury)
    }
}
