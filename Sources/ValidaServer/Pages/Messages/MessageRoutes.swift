import Vapor

/// « Mes messages » and the sending of a session's convocations.
enum MessageRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.myMessages, use: MyMessagesPage.show)
        routes.get(.myMessage(nil), use: MyMessagePage.show)
        routes.get(.sessionConvocations(nil), use: SessionConvocationPage.show)
        routes.post(.sessionConvocations(nil), use: SessionConvocationPage.submit)
    }
}
