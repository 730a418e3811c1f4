//! The box office's records as the rest of the program sees them: slots, tickets, sales.
//! Plain data; the store fills them in, the CLI prints them, the TUI draws them.

use serde::Serialize;

use super::layout::Category;
use super::money::Cents;
use super::time::Time;

/// Database id of a slot.
pub type SlotId = i64;

/// A scheduled show in a hall (the seed's TicketSlot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub id: SlotId,
    pub name: String,
    pub description: String,
    /// Movie, Documentary, Concert, …
    pub kind: String,
    pub genre: String,
    pub hall: String,
    pub start: Time,
    pub end: Time,
    /// The default type's prices by category (what the seat map shows).
    pub prices: Vec<(Category, Cents)>,
    /// The price card the show was priced from (None: typed with `--price`).
    pub card: Option<String>,
    /// The type a ticket is unless the sale names another: the theatre's default, or the
    /// show's first type if it does not price that one.
    pub default_type: String,
    /// Every price of the show, by type (in the theatre's order) and category.
    pub type_prices: Vec<super::cards::TypePrice>,
}

#[cfg(test)]
impl Slot {
    /// A show for unit tests: `name` in `hall` from `start` to `end` ("YYYY-MM-DD HH:MM"),
    /// priced by nothing until the test says.
    pub fn example(name: &str, hall: &str, start: &str, end: &str) -> Slot {
        let at = |text: &str| super::time::parse_time(text).expect("time");
        Slot {
            id: 1,
            name: name.into(),
            description: String::new(),
            kind: "Movie".into(),
            genre: String::new(),
            hall: hall.into(),
            start: at(start),
            end: at(end),
            prices: vec![],
            card: None,
            default_type: "Adult".into(),
            type_prices: vec![],
        }
    }
}

/// A slot with its availability, as the schedule lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotSummary {
    pub slot: Slot,
    pub seats_total: usize,
    pub seats_free: usize,
    pub seats_held: usize,
    /// Of those held, the seats offered to the show's waiting list.
    pub seats_offered: usize,
    /// Tickets admitted at the door so far.
    pub checked_in: usize,
}

/// How full a slot is, in the words the schedule uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Available,
    AlmostFull,
    Full,
}

impl Availability {
    pub fn name(self) -> &'static str {
        match self {
            Availability::Available => "Available",
            Availability::AlmostFull => "Almost full",
            Availability::Full => "Full",
        }
    }
}

impl SlotSummary {
    /// Full at no free seat; almost full at 10% or less free.
    pub fn availability(&self) -> Availability {
        if self.seats_free == 0 {
            Availability::Full
        } else if self.seats_free * 10 <= self.seats_total {
            Availability::AlmostFull
        } else {
            Availability::Available
        }
    }
}

/// A ticket's place in its lifecycle: Held → Booked → Canceled | Expired | Archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TicketStatus {
    Held,
    Booked,
    Canceled,
    Expired,
    /// Replaced by a rebooking; the new ticket points back to it.
    Archived,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 5] = [
        TicketStatus::Held,
        TicketStatus::Booked,
        TicketStatus::Canceled,
        TicketStatus::Expired,
        TicketStatus::Archived,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TicketStatus::Held => "held",
            TicketStatus::Booked => "booked",
            TicketStatus::Canceled => "canceled",
            TicketStatus::Expired => "expired",
            TicketStatus::Archived => "archived",
        }
    }

    pub fn parse(text: &str) -> Option<TicketStatus> {
        TicketStatus::ALL.into_iter().find(|s| s.name() == text)
    }

    /// Held and Booked tickets occupy their seat.
    pub fn is_live(self) -> bool {
        matches!(self, TicketStatus::Held | TicketStatus::Booked)
    }
}

/// How a sale was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentMethod {
    Cash,
    Card,
}

impl PaymentMethod {
    pub fn name(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        match text.trim().to_ascii_lowercase().as_str() {
            "cash" => Some(PaymentMethod::Cash),
            "card" => Some(PaymentMethod::Card),
            _ => None,
        }
    }
}

/// Who bought; both parts optional for a walk-in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Customer {
    pub name: Option<String>,
    pub phone: Option<String>,
}

impl Customer {
    /// The name to show, "walk-in" when none was given.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or("walk-in")
    }
}

/// One ticket with everything a lookup shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketDetails {
    pub code: String,
    pub booking: String,
    pub status: TicketStatus,
    pub seat: String,
    pub category: Category,
    /// Adult, Child, … (see `domain::cards`).
    pub ticket_type: String,
    pub price: Cents,
    pub slot: Slot,
    pub customer: Customer,
    pub payment: PaymentMethod,
    pub operator: String,
    pub created: Time,
    pub changed: Time,
    /// The ticket this one replaced (rebooking), if any.
    pub replaces: Option<String>,
    /// The ticket that replaced this one, if it was rebooked.
    pub replaced_by: Option<String>,
    /// When it was admitted at the door (a check-in that stands).
    pub checked_in: Option<Time>,
}

/// What a sale needs: seats by count (best available) or by label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatRequest {
    Count(usize),
    Seats(Vec<(String, u32)>),
}

/// A sale to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleRequest {
    pub slot: SlotId,
    pub seats: SeatRequest,
    pub customer: Customer,
    pub payment: PaymentMethod,
    pub operator: String,
    /// How many tickets of named types; the rest are the show's default type.
    pub types: super::cards::TypeCounts,
    /// Every ticket at this price instead of the card's (a manager's override; 0: free).
    pub price_override: Option<Cents>,
}

/// A category as JSON names it: "Regular".
fn category_name<S: serde::Serializer>(category: &Category, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(category.name())
}

/// One ticket of a sale, as a receipt lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedTicket {
    #[serde(rename = "id")]
    pub code: String,
    pub seat: String,
    /// The seat's category, printed on the ticket.
    #[serde(serialize_with = "category_name")]
    pub category: Category,
    /// Adult, Child, … (see `domain::cards`).
    #[serde(rename = "type")]
    pub ticket_type: String,
    pub price: Cents,
}

/// The outcome of a sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub booking: String,
    pub slot: Slot,
    pub tickets: Vec<IssuedTicket>,
    pub total: Cents,
    pub customer: Customer,
    pub payment: PaymentMethod,
}

/// The outcome of a rebooking: the archived ticket and the one that replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebooking {
    pub old: TicketDetails,
    pub new: TicketDetails,
    /// New price minus old: positive is charged, negative refunded.
    pub difference: Cents,
}

/// The outcome of a cancellation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub canceled: Vec<String>,
    pub refund: Cents,
    pub payment: PaymentMethod,
}

/// What `expire` changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ExpiryOutcome {
    pub expired: usize,
    pub holds_released: usize,
}

/// One line of the day's report: a payment method's takings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MethodTotals {
    pub method: PaymentMethod,
    pub sales: Cents,
    pub refunds: Cents,
    pub net: Cents,
    pub tickets_sold: usize,
    pub tickets_refunded: usize,
}

/// The day's sales and refunds by payment method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayReport {
    pub date: chrono::NaiveDate,
    pub methods: Vec<MethodTotals>,
    /// The same money by ticket type, in the theatre's type order.
    pub types: Vec<(String, super::cashup::Takings)>,
}

impl DayReport {
    pub fn sales(&self) -> Cents {
        self.methods.iter().map(|m| m.sales).sum()
    }
    pub fn refunds(&self) -> Cents {
        self.methods.iter().map(|m| m.refunds).sum()
    }
    pub fn net(&self) -> Cents {
        self.sales() - self.refunds()
    }
}
