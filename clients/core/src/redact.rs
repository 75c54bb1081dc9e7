//! Masking of card-number-like digit runs in text that reaches `Display` and `Debug`.
//!
//! Provider messages echo what they were sent ("The card 4111111111111111 is not
//! supported"), and so do parse errors ("invalid type: string \"4111...\""). Every
//! error this crate prints goes through [`Masking`], which replaces each run of 12 to 19
//! ASCII digits (the length of a PAN) with `****` and its last four digits. Shorter runs
//! (amounts, codes, dates) and longer ones (not a card) are printed as they are.

use std::fmt::{self, Write};

/// The shortest digit run that is masked.
const MIN_MASKED: usize = 12;
/// The longest digit run that is masked.
const MAX_MASKED: usize = 19;

/// A writer that masks 12-19 digit runs in what is written through it, a run being
/// digits with at most single spaces or dashes between them (`4111 1111 1111 1111`).
/// A run is held back until it ends; call [`Masking::finish`] to write one that ends
/// the text.
pub struct Masking<'a, W: Write + ?Sized> {
    out: &'a mut W,
    /// The run so far: digits and the single separators between them.
    held: String,
    digits: usize,
}

impl<'a, W: Write + ?Sized> Masking<'a, W> {
    /// Masks what is written to `out`.
    pub fn new(out: &'a mut W) -> Self {
        Self {
            out,
            held: String::new(),
            digits: 0,
        }
    }

    /// Writes a run still held back.
    pub fn finish(&mut self) -> fmt::Result {
        self.end_run()
    }

    fn end_run(&mut self) -> fmt::Result {
        let trailing = match self.held.chars().last() {
            Some(separator @ (' ' | '-')) => {
                self.held.pop();
                Some(separator)
            }
            _ => None,
        };
        if (MIN_MASKED..=MAX_MASKED).contains(&self.digits) {
            let digits: String = self.held.chars().filter(char::is_ascii_digit).collect();
            self.out.write_str("****")?;
            self.out.write_str(&digits[digits.len() - 4..])?;
        } else {
            self.out.write_str(&self.held)?;
        }
        if let Some(separator) = trailing {
            self.out.write_char(separator)?;
        }
        self.held.clear();
        self.digits = 0;
        Ok(())
    }
}

impl<W: Write + ?Sized> Write for Masking<'_, W> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for c in text.chars() {
            if c.is_ascii_digit() {
                self.held.push(c);
                self.digits += 1;
            } else if matches!(c, ' ' | '-') && self.held.ends_with(|d: char| d.is_ascii_digit()) {
                self.held.push(c);
            } else {
                self.end_run()?;
                self.out.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// Displays `value` with digit runs masked.
pub struct Masked<T>(pub T);

impl<T: fmt::Display> fmt::Display for Masked<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut masking = Masking::new(f);
        write!(masking, "{}", self.0)?;
        masking.finish()
    }
}

/// Writes `args` to `f` with digit runs masked.
pub(crate) fn write_masked(f: &mut fmt::Formatter<'_>, args: fmt::Arguments<'_>) -> fmt::Result {
    let mut masking = Masking::new(f);
    masking.write_fmt(args)?;
    masking.finish()
}

#[cfg(test)]
mod tests {
    use super::Masked;

    fn masked(text: &str) -> String {
        Masked(text).to_string()
    }

    #[test]
    fn card_length_runs_keep_their_last_four_digits() {
        assert_eq!(masked("The card 4111111111111111 is not supported"), "The card ****1111 is not supported");
        assert_eq!(masked("123456789012"), "****9012");
        assert_eq!(masked("1234567890123456789."), "****6789.");
    }

    #[test]
    fn other_numbers_are_kept() {
        assert_eq!(masked("HTTP 502, code 6061, 10342.22 RUB"), "HTTP 502, code 6061, 10342.22 RUB");
        assert_eq!(masked("12345678901"), "12345678901");
        assert_eq!(masked("12345678901234567890"), "12345678901234567890");
        assert_eq!(masked("123456789012345678901234"), "123456789012345678901234");
    }

    #[test]
    fn card_numbers_with_spaces_or_dashes_are_masked() {
        assert_eq!(masked("card 4111 1111 1111 1111 refused"), "card ****1111 refused");
        assert_eq!(masked("card 4111-1111-1111-1111."), "card ****1111.");
        assert_eq!(masked("on 2024-01-26 09:59:01, 10342.22 RUB"), "on 2024-01-26 09:59:01, 10342.22 RUB");
        assert_eq!(masked("from 1000 - 2000 - 3000 - 4000"), "from 1000 - 2000 - 3000 - 4000");
    }

    #[test]
    fn runs_split_across_writes_are_masked() {
        struct Pieces;
        impl std::fmt::Display for Pieces {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("pan 4111")?;
                f.write_str("11111111")?;
                f.write_str("1111 end")
            }
        }
        assert_eq!(Masked(Pieces).to_string(), "pan ****1111 end");
    }
}
