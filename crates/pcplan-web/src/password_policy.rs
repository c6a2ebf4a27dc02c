//! What a password chosen by a person must be, checked wherever one is chosen (the
//! account page, `pcplan user add --password-stdin`): long, not common, not the
//! username. Generated one-time passwords are random and need no check.
//!
//! The rules follow the NCSC's password guidance and NIST SP 800-63B rather than
//! composition rules: at least [`MIN_CHARS`] characters, at most [`MAX_CHARS`] (argon2id
//! would take any length; the cap stops a megabyte "password" costing a hash), not one
//! of the 49,233 passwords most seen in breaches (`data/common-passwords.txt`, shipped in
//! the binary: nothing is looked up online), not one of those with digits or symbols put
//! before or after it (`Password2024!`), not only digits and symbols, not three or fewer
//! different characters, and not containing the username. Each refusal says what to change.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The fewest characters a chosen password may have.
pub const MIN_CHARS: usize = 12;

/// The most characters a password may have.
pub const MAX_CHARS: usize = 256;

/// The common passwords, lower case, read once from the list compiled in.
static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("../data/common-passwords.txt").lines().filter(|l| !l.is_empty()).collect());

/// How many passwords the shipped list holds.
pub fn common_count() -> usize {
    COMMON.len()
}

/// Why `password` may not be chosen by `username`, as a sentence for the form; `None`
/// when it may.
pub fn problem(password: &str, username: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Some(format!("Password must be {MIN_CHARS} characters or more"));
    }
    if chars > MAX_CHARS {
        return Some(format!("Password must be {MAX_CHARS} characters or fewer"));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(lower.as_str()) {
        return Some(String::from(
            "Password is one of the most common passwords, so it is easy to guess; choose another, \
             for example three random words",
        ));
    }
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    if core.is_empty() {
        return Some(String::from(
            "Password must not be only numbers and symbols; choose another, for example three random words",
        ));
    }
    if core != lower && COMMON.contains(core) {
        return Some(String::from(
            "Password is a common password with numbers or symbols added, so it is easy to guess; choose another, \
             for example three random words",
        ));
    }
    let distinct: HashSet<char> = lower.chars().collect();
    if distinct.len() <= 3 {
        return Some(String::from("Password must use more than three different characters"));
    }
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 && lower.contains(&name) {
        return Some(String::from("Password must not contain your username"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_compiled_in_whole() {
        assert_eq!(common_count(), 49_233);
    }

    #[test]
    fn each_rule_refuses_with_its_own_message_and_good_passwords_pass() {
        let cases = [
            ("short one", Some("12 characters or more")),
            ("qwerty123456", Some("most common passwords")),
            ("QWERTY123456", Some("most common passwords")),
            ("Password2024!", Some("numbers or symbols added")),
            ("!!!!dragon123", Some("numbers or symbols added")),
            ("123456789012345", Some("only numbers and symbols")),
            ("abababababab", Some("more than three different")),
            ("my jsmith password", Some("not contain your username")),
            ("correct horse battery staple", None),
            ("Paper-lantern-otter-7", None),
        ];
        for (password, expected) in cases {
            let found = problem(password, "jsmith");
            match expected {
                Some(words) => {
                    let message = found.unwrap_or_else(|| panic!("{password:?} should be refused"));
                    assert!(message.contains(words), "{password:?}: {message}");
                }
                None => assert_eq!(found, None, "{password:?} should be allowed"),
            }
        }
        assert!(problem(&"x1y2z3".repeat(50), "a").is_some_and(|m| m.contains("256")));
    }
}
