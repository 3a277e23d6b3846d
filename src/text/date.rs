//! Dates as pages show them.

use std::collections::BTreeMap;

/// `YYYY-MM-DD`.
pub fn iso_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// How many names the UI string `months` lists.
pub(crate) const MONTHS: usize = 12;

/// The month names of the UI string `months` (comma-separated).
pub(crate) fn month_names(months: &str) -> impl Iterator<Item = &str> {
    months.split(',').map(str::trim)
}

/// A date in the words of a language's UI strings: `date` (`{day} {month} {year}`) with
/// `{month}` one of the twelve comma-separated `months` — `5 December 2026`,
/// `2026年12月5日`. (The load stage refuses a `months` without twelve names; a table
/// without these strings gets the English form.)
pub fn human_date(d: time::Date, ui: &BTreeMap<String, String>) -> String {
    let month = (ui.get("months"))
        .and_then(|names| month_names(names).nth(usize::from(u8::from(d.month())) - 1))
        .map_or_else(|| d.month().to_string(), str::to_string);
    let form = ui
        .get("date")
        .map_or("{day} {month} {year}", String::as_str);
    form.replace("{day}", &d.day().to_string())
        .replace("{year}", &d.year().to_string())
        .replace("{month}", &month)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> BTreeMap<String, String> {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn dates_read_as_written() {
        let english = table(include_str!("../../i18n/en.toml"));
        let d = time::Date::from_calendar_date(2026, time::Month::March, 5).unwrap();
        assert_eq!(iso_date(d), "2026-03-05");
        assert_eq!(human_date(d, &english), "5 March 2026");
        let december = time::Date::from_calendar_date(2026, time::Month::December, 25).unwrap();
        assert_eq!(human_date(december, &english), "25 December 2026");
        assert_eq!(human_date(december, &BTreeMap::new()), "25 December 2026");
    }

    #[test]
    fn dates_follow_the_language() {
        let chinese = table(include_str!("../../i18n/zh-Hans.toml"));
        let d = time::Date::from_calendar_date(2026, time::Month::November, 5).unwrap();
        assert_eq!(human_date(d, &chinese), "2026年11月5日");
    }
}
