//! Dates as pages show them.

/// `YYYY-MM-DD`.
pub fn iso_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `26 November 2026`.
pub fn human_date(d: time::Date) -> String {
    format!("{} {} {}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_written() {
        let d = time::Date::from_calendar_date(2026, time::Month::March, 5).unwrap();
        assert_eq!(iso_date(d), "2026-03-05");
        assert_eq!(human_date(d), "5 March 2026");
    }
}
