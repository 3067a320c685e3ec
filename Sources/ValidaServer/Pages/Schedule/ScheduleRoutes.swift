import Vapor

/// The schedule's pages: a session's planning, its slots, convocations, calendar files and
/// candidates' accommodations.
enum ScheduleRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.sessionPlanning(nil), use: SchedulePage.show)
        routes.post(.sessionPlanning(nil), use: SchedulePage.generate)
        routes.post(.sessionSlotNew(nil), use: SchedulePage.addSlot)
        routes.get(.slot(nil), use: SlotPage.show)
        routes.post(.slot(nil), use: SlotPage.update)
        routes.post(.slotDelete(nil), use: SchedulePage.delete)
        routes.post(.slotAttendance(nil), use: SchedulePage.mark)
        routes.get(.slotConvocation(nil, candidate: nil), use: ConvocationDocument.pdf)
        routes.get(.sessionConvocationsArchive(nil), use: ConvocationDocument.archive)
        routes.get(.myCalendar, use: MySlots.calendar)
        routes.get(.candidateAccommodations(nil), use: AccommodationsPage.show)
        routes.post(.candidateAccommodations(nil), use: AccommodationsPage.submit)
        routes.post(.accommodationDecision(nil), use: AccommodationsPage.decide)
    }
}
