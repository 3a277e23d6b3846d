//! Exact rational numbers (`i128` numerator and denominator) parsed from decimal text.
//!
//! Every threshold, conversion factor and user value is a [`Rat`], so a conversion can
//! never flip a band at an exact edge: 102.92 °F is exactly 39.4 °C here, not
//! 39.400000000000006. The browser evaluator (`static/js/calculator.js`) implements the
//! same rules with `BigInt`; both sides refuse the same inputs (see [`parse_decimal`]).

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

/// Largest number of significant digits accepted in a decimal.
pub const MAX_DIGITS: usize = 20;
/// A decimal's magnitude must stay below `10^MAX_MAGNITUDE` and above `10^-MAX_MAGNITUDE`.
pub const MAX_MAGNITUDE: i64 = 24;

/// An exact rational number in lowest terms with a positive denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rat {
    n: i128,
    d: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Rat {
    /// Zero.
    pub const ZERO: Rat = Rat { n: 0, d: 1 };
    /// One.
    pub const ONE: Rat = Rat { n: 1, d: 1 };

    /// `n / d` in lowest terms; `None` when `d` is zero.
    pub fn new(n: i128, d: i128) -> Option<Rat> {
        if d == 0 {
            return None;
        }
        let g = gcd(n, d).max(1);
        let (mut n, mut d) = (n / g, d / g);
        if d < 0 {
            n = n.checked_neg()?;
            d = d.checked_neg()?;
        }
        Some(Rat { n, d })
    }

    /// An integer.
    pub fn int(i: i64) -> Rat {
        Rat {
            n: i128::from(i),
            d: 1,
        }
    }

    /// Numerator (lowest terms).
    pub fn numer(&self) -> i128 {
        self.n
    }

    /// True when the value is an integer.
    pub fn is_integer(&self) -> bool {
        self.d == 1
    }

    /// True when the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.n < 0
    }

    /// Checked sum.
    pub fn checked_add(self, o: Rat) -> Option<Rat> {
        let n = self
            .n
            .checked_mul(o.d)?
            .checked_add(o.n.checked_mul(self.d)?)?;
        Rat::new(n, self.d.checked_mul(o.d)?)
    }

    /// Checked difference.
    pub fn checked_sub(self, o: Rat) -> Option<Rat> {
        self.checked_add(Rat {
            n: o.n.checked_neg()?,
            d: o.d,
        })
    }

    /// Checked product.
    pub fn checked_mul(self, o: Rat) -> Option<Rat> {
        let g1 = gcd(self.n, o.d).max(1);
        let g2 = gcd(o.n, self.d).max(1);
        Rat::new(
            (self.n / g1).checked_mul(o.n / g2)?,
            (self.d / g2).checked_mul(o.d / g1)?,
        )
    }

    /// Checked quotient; `None` when dividing by zero.
    pub fn checked_div(self, o: Rat) -> Option<Rat> {
        if o.n == 0 {
            return None;
        }
        self.checked_mul(Rat::new(o.d, o.n)?)
    }

    /// The value as a decimal string: exact when the expansion terminates within
    /// `max_frac` digits, otherwise rounded (half away from zero) with `exact = false`.
    pub fn to_decimal(&self, max_frac: u32) -> (String, bool) {
        let neg = self.n < 0;
        let n = self.n.unsigned_abs();
        let d = self.d.unsigned_abs();
        let int = n / d;
        let mut rem = n % d;
        let mut digits = String::new();
        let mut exact = true;
        for i in 0..=max_frac {
            if rem == 0 {
                break;
            }
            if i == max_frac {
                exact = false;
                break;
            }
            rem *= 10;
            digits.push(char::from(b'0' + (rem / d) as u8));
            rem %= d;
        }
        let mut int = int;
        if !exact && rem * 2 >= d {
            // Round half away from zero by incrementing the digit string.
            let mut bytes = digits.into_bytes();
            let mut carry = true;
            for b in bytes.iter_mut().rev() {
                if !carry {
                    break;
                }
                if *b == b'9' {
                    *b = b'0';
                } else {
                    *b += 1;
                    carry = false;
                }
            }
            if carry {
                int += 1;
            }
            digits = String::from_utf8(bytes).unwrap_or_default();
        }
        let digits = digits.trim_end_matches('0');
        let sign = if neg && (int != 0 || !digits.is_empty()) {
            "-"
        } else {
            ""
        };
        if digits.is_empty() {
            (format!("{sign}{int}"), exact)
        } else {
            (format!("{sign}{int}.{digits}"), exact)
        }
    }

    /// Human form: exact decimal, or `≈` and six decimals.
    pub fn display(&self) -> String {
        let (s, exact) = self.to_decimal(6);
        if exact { s } else { format!("≈{s}") }
    }
}

impl Ord for Rat {
    /// Exact comparison without overflow (continued-fraction style).
    fn cmp(&self, other: &Self) -> Ordering {
        let (mut a, mut b, mut c, mut d) = (self.n, self.d, other.n, other.d);
        let mut flip = false;
        loop {
            let (q1, q2) = (a.div_euclid(b), c.div_euclid(d));
            if q1 != q2 {
                let o = q1.cmp(&q2);
                return if flip { o.reverse() } else { o };
            }
            let (r1, r2) = (a.rem_euclid(b), c.rem_euclid(d));
            match (r1 == 0, r2 == 0) {
                (true, true) => return Ordering::Equal,
                (true, false) => {
                    return if flip {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    };
                }
                (false, true) => {
                    return if flip {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    };
                }
                (false, false) => {
                    // a/b = q + r1/b; r1/b < r2/d  <=>  b/r1 > d/r2.
                    (a, b, c, d) = (b, r1, d, r2);
                    flip = !flip;
                }
            }
        }
    }
}

impl PartialOrd for Rat {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Rat {
    /// Canonical text: `n` or `n/d`, as embedded in the spec JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.d == 1 {
            write!(f, "{}", self.n)
        } else {
            write!(f, "{}/{}", self.n, self.d)
        }
    }
}

impl Serialize for Rat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a decimal was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// Not decimal syntax.
    NotANumber,
    /// More than [`MAX_DIGITS`] significant digits, or magnitude beyond `10^±MAX_MAGNITUDE`.
    TooLarge,
}

/// Parses `[+-]digits[.digits][e[+-]digits]` (or `.digits`) exactly. Surrounding
/// whitespace is ignored; nothing else is accepted (no commas, `NaN`, `Infinity`, hex).
pub fn parse_decimal(text: &str) -> Result<Rat, NumError> {
    let s = text.trim();
    let (neg, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return Err(NumError::NotANumber);
    }
    let exp: i64 = match exp {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !all_digits(digits) {
                return Err(NumError::NotANumber);
            }
            if digits.trim_start_matches('0').len() > 6 {
                return Err(NumError::TooLarge);
            }
            e.parse().map_err(|_| NumError::NotANumber)?
        }
    };
    let all = format!("{int}{frac}");
    let sig = all.trim_start_matches('0');
    if sig.is_empty() {
        return Ok(Rat::ZERO);
    }
    let sig = sig.trim_end_matches('0');
    let trailing = all.trim_start_matches('0').len() - sig.len();
    if sig.len() > MAX_DIGITS {
        return Err(NumError::TooLarge);
    }
    // value = sig × 10^k
    let k = exp - frac.len() as i64 + trailing as i64;
    if k < -MAX_MAGNITUDE || sig.len() as i64 + k > MAX_MAGNITUDE {
        return Err(NumError::TooLarge);
    }
    let mut n: i128 = sig.parse().map_err(|_| NumError::NotANumber)?;
    if neg {
        n = -n;
    }
    let p = 10i128.pow(k.unsigned_abs() as u32);
    if k >= 0 {
        Ok(Rat { n: n * p, d: 1 })
    } else {
        Rat::new(n, p).ok_or(NumError::TooLarge)
    }
}

/// Parses a spec number: a decimal, or `a/b` with decimals `a` and `b` (e.g. `10/0.6206`).
pub fn parse_ratio(text: &str) -> Result<Rat, NumError> {
    match text.split_once('/') {
        Some((a, b)) => {
            let a = parse_decimal(a)?;
            let b = parse_decimal(b)?;
            a.checked_div(b).ok_or(NumError::NotANumber)
        }
        None => parse_decimal(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Rat {
        parse_ratio(s).unwrap()
    }

    #[test]
    fn parses_decimals_exactly() {
        assert_eq!(r("38.4"), Rat::new(192, 5).unwrap());
        assert_eq!(r("-0"), Rat::ZERO);
        assert_eq!(r(".5"), Rat::new(1, 2).unwrap());
        assert_eq!(r("5."), Rat::int(5));
        assert_eq!(r("1e3"), Rat::int(1000));
        assert_eq!(r("1.5E-1"), Rat::new(3, 20).unwrap());
        assert_eq!(r("10/0.6206"), Rat::new(50000, 3103).unwrap());
        assert_eq!(r("  7 "), Rat::int(7));
        for bad in [
            "", "-", ".", "e5", "1e", "1,5", "NaN", "Infinity", "0x10", "1..2", "--1", "1 2",
        ] {
            assert_eq!(parse_decimal(bad), Err(NumError::NotANumber), "{bad}");
        }
        assert_eq!(parse_decimal("1e25"), Err(NumError::TooLarge));
        assert_eq!(parse_decimal("1e-25"), Err(NumError::TooLarge));
        assert_eq!(
            parse_decimal("123456789012345678901"),
            Err(NumError::TooLarge)
        );
        assert_eq!(parse_decimal("1e9999999"), Err(NumError::TooLarge));
        assert!(parse_decimal("100000000000000000000000").is_ok());
    }

    #[test]
    fn fahrenheit_edge_is_exact() {
        let f = r("102.92");
        let c = f
            .checked_sub(Rat::int(32))
            .unwrap()
            .checked_mul(r("5/9"))
            .unwrap();
        assert_eq!(c, r("39.4"));
        assert_eq!(c.cmp(&r("39.4")), Ordering::Equal);
    }

    #[test]
    fn compares_without_overflow() {
        let a = Rat::new(i128::MAX / 3, i128::MAX / 5).unwrap();
        let b = Rat::new(i128::MAX / 5, i128::MAX / 3).unwrap();
        assert!(a > b);
        assert!(r("-1.5") < r("-1.4"));
        assert!(r("1/3") < r("0.33334"));
        assert!(r("1/3") > r("0.33333"));
        assert_eq!(r("2/6").cmp(&r("1/3")), Ordering::Equal);
    }

    #[test]
    fn comparison_matches_cross_multiplication() {
        for a in -30i128..=30 {
            for b in 1i128..=12 {
                for c in -30i128..=30 {
                    for d in 1i128..=12 {
                        let x = Rat::new(a, b).unwrap();
                        let y = Rat::new(c, d).unwrap();
                        assert_eq!(x.cmp(&y), (a * d).cmp(&(c * b)), "{a}/{b} vs {c}/{d}");
                    }
                }
            }
        }
    }

    #[test]
    fn decimal_display() {
        assert_eq!(r("101.12").to_decimal(6), ("101.12".into(), true));
        assert_eq!(r("1/3").to_decimal(2), ("0.33".into(), false));
        assert_eq!(r("2/3").to_decimal(2), ("0.67".into(), false));
        assert_eq!(r("-0.5").to_decimal(6), ("-0.5".into(), true));
        assert_eq!(r("0.996").to_decimal(2), ("1".into(), false));
        assert_eq!(Rat::int(4).to_string(), "4");
        assert_eq!(r("38.4").to_string(), "192/5");
    }
}
