//! Who may do what at the box office: operators with a role and a PIN. A theatre with no
//! operators works as before; once one exists, every command that changes something says who
//! asks, with their PIN, and the role must have the right.

use chrono::Duration;

use super::error::{Result, invalid, not_allowed};

/// Wrong PINs in a row before an operator is locked out.
pub const MAX_FAILURES: i64 = 5;

/// How long a lockout lasts.
pub fn lockout() -> Duration {
    Duration::minutes(5)
}

/// An operator's role; each has the rights of the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Cashier,
    Manager,
    Admin,
}

impl Role {
    pub fn parse(text: &str) -> Result<Role> {
        match text.trim().to_ascii_lowercase().as_str() {
            "cashier" => Ok(Role::Cashier),
            "manager" => Ok(Role::Manager),
            "admin" => Ok(Role::Admin),
            _ => {
                Err(invalid(format!("unknown role '{}': cashier, manager or admin", super::text::excerpt(text.trim()))))
            }
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// The least role that has `right`.
    fn needed(right: Right) -> Role {
        match right {
            Right::Sell | Right::CheckIn | Right::Till => Role::Cashier,
            Right::Approve => Role::Manager,
            Right::Schedule | Right::ManageOperators => Role::Admin,
        }
    }

    /// Refuses (exit 7) when this role lacks `right`.
    pub fn check(self, operator: &str, right: Right) -> Result<()> {
        let needed = Role::needed(right);
        if self < needed {
            let needed = match needed {
                Role::Admin => "an admin",
                Role::Manager => "a manager or an admin",
                Role::Cashier => "a cashier",
            };
            return Err(not_allowed(format!("{operator} is a {}: {} needs {needed}", self.name(), right.what())));
        }
        Ok(())
    }
}

/// What a command does, as far as rights go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    /// Sell, rebook, refund before the cut-off, the waiting list.
    Sell,
    /// Admit at the door.
    CheckIn,
    /// Open and close one's till.
    Till,
    /// Approve what the everyday rules refuse (a late refund, a forced check-in…).
    Approve,
    /// Halls, cinemas, price cards and the schedule.
    Schedule,
    /// Add, disable and re-PIN operators.
    ManageOperators,
}

impl Right {
    fn what(self) -> &'static str {
        match self {
            Right::Sell => "selling",
            Right::CheckIn => "checking in",
            Right::Till => "a till",
            Right::Approve => "approving",
            Right::Schedule => "changing the schedule, halls or prices",
            Right::ManageOperators => "managing operators",
        }
    }
}

/// Why a manager approves what the rules refuse: a short list, so reports can count them.
pub const REASONS: [&str; 5] = ["customer-complaint", "show-problem", "staff-error", "goodwill", "other"];

/// A reason code as typed, checked against [`REASONS`].
pub fn reason(text: &str) -> Result<&'static str> {
    let t = text.trim().to_ascii_lowercase();
    REASONS.iter().find(|r| **r == t).copied().ok_or_else(|| {
        invalid(format!("unknown reason '{}': one of {}", super::text::excerpt(text.trim()), REASONS.join(", ")))
    })
}

/// A PIN is 4 to 8 digits.
pub fn check_pin(pin: &str) -> Result<()> {
    let pin = pin.trim_end_matches(['\n', '\r']);
    if !(4..=8).contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid("a PIN is 4 to 8 digits"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_has_the_rights_of_the_one_before() {
        assert!(Role::Cashier.check("ann", Right::Sell).is_ok());
        let refused = Role::Cashier.check("ann", Right::Approve).expect_err("cashier approving");
        assert_eq!(refused.exit_code(), 7);
        assert!(refused.to_string().contains("ann is a cashier: approving needs a manager or an admin"));
        assert!(Role::Manager.check("bo", Right::Approve).is_ok());
        assert!(Role::Manager.check("bo", Right::Schedule).is_err());
        assert!(Role::Admin.check("cy", Right::ManageOperators).is_ok());
    }

    #[test]
    fn pins_are_four_to_eight_digits_and_reasons_come_from_the_list() {
        assert!(check_pin("1234").is_ok());
        assert!(check_pin("12345678\n").is_ok());
        for bad in ["123", "123456789", "12a4", "", "١٢٣٤"] {
            assert!(check_pin(bad).is_err(), "{bad:?}");
        }
        assert_eq!(reason("Show-Problem").expect("reason"), "show-problem");
        assert!(reason("because").is_err());
    }
}
