//! Tickets and receipts for the counter's thermal printer, in ESC/POS: the printer is
//! initialised (`ESC @`), the film and seat are bold and double size, the QR code is the
//! printer's own (`GS ( k`, not an image), and each ticket ends with a cut (`GS V`).
//!
//! Characters: the printer is switched to code page 858 (`ESC t 19`), which has `£` and `€`;
//! any other character outside ASCII is transliterated: accents are dropped (é → e), and what
//! has no ASCII form (CJK, emoji) prints as `?`. A receipt printer has no wide-character font
//! to rely on, and a `?` never shifts the columns the way a double-width glyph would.

use std::io::Write;
use std::time::Duration;

use unicode_normalization::UnicodeNormalization;

use crate::domain::layout::Category;
use crate::domain::model::{PaymentMethod, Slot};
use crate::domain::money::{Cents, format_amount};
use crate::domain::time::{Time, format_time};

const ESC: u8 = 0x1b;
const GS: u8 = 0x1d;

/// One ticket as it is printed.
#[derive(Debug, Clone)]
pub struct TicketFace<'a> {
    pub code: &'a str,
    pub booking: &'a str,
    pub seat: &'a str,
    pub category: Category,
    pub ticket_type: &'a str,
    pub price: Cents,
    pub slot: &'a Slot,
}

/// What a booking's receipt says after its tickets.
#[derive(Debug, Clone)]
pub struct Receipt<'a> {
    pub booking: &'a str,
    pub total: Cents,
    pub payment: PaymentMethod,
    /// Cash handed over and the change, when the counter knows them.
    pub tendered: Option<Cents>,
    pub operator: &'a str,
    pub at: Time,
}

/// An ESC/POS document being written for a printer `width` characters wide (42 on 80 mm
/// paper, 32 on 58 mm).
#[derive(Debug, Clone)]
pub struct Document {
    bytes: Vec<u8>,
    width: usize,
    symbol: String,
}

impl Document {
    /// A new document: the printer reset and set to code page 858.
    pub fn new(width: usize, symbol: &str) -> Document {
        Document { bytes: vec![ESC, b'@', ESC, b't', 19], width: width.max(16), symbol: symbol.to_string() }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    fn raw(&mut self, bytes: &[u8]) -> &mut Document {
        self.bytes.extend_from_slice(bytes);
        self
    }

    /// A line of text, cut to the paper's width (half of it in double size).
    fn line(&mut self, text: &str, double: bool) -> &mut Document {
        let room = if double { self.width / 2 } else { self.width };
        let encoded = encode(text);
        let cut = &encoded[..encoded.len().min(room)];
        self.raw(cut).raw(b"\n")
    }

    fn bold(&mut self, on: bool) -> &mut Document {
        self.raw(&[ESC, b'E', u8::from(on)])
    }

    /// Double width and height (`GS !`).
    fn double(&mut self, on: bool) -> &mut Document {
        self.raw(&[GS, b'!', if on { 0x11 } else { 0x00 }])
    }

    fn center(&mut self, on: bool) -> &mut Document {
        self.raw(&[ESC, b'a', u8::from(on)])
    }

    /// The printer's own QR code of `data` (model 2, module size 6, error correction M).
    fn qr(&mut self, data: &str) -> &mut Document {
        let data = data.as_bytes();
        let len = data.len() + 3;
        let (low, high) = ((len % 256) as u8, (len / 256) as u8);
        self.raw(&[GS, b'(', b'k', 4, 0, 49, 65, 50, 0]) // model 2
            .raw(&[GS, b'(', b'k', 3, 0, 49, 67, 6]) // module size
            .raw(&[GS, b'(', b'k', 3, 0, 49, 69, 49]) // error correction M
            .raw(&[GS, b'(', b'k', low, high, 49, 80, 48]) // store the data
            .raw(data)
            .raw(&[GS, b'(', b'k', 3, 0, 49, 81, 48]) // print it
    }

    /// Feeds and cuts the paper (`GS V 66 n`: feed n lines, then a partial cut).
    fn cut(&mut self) -> &mut Document {
        self.raw(&[GS, b'V', 66, 3])
    }

    fn money(&self, amount: Cents) -> String {
        format!("{}{}", self.symbol, format_amount(amount))
    }

    /// One ticket, then a cut.
    pub fn ticket(&mut self, theatre: &str, t: &TicketFace) -> &mut Document {
        let rule = "-".repeat(self.width);
        let start = format_time(&t.slot.start);
        let price = self.money(t.price);
        self.center(true).line(theatre, false).line(&rule, false);
        self.bold(true).double(true).line(&t.slot.name, true).double(false).bold(false);
        self.line(&format!("{} · {start}", t.slot.hall), false);
        self.bold(true).double(true).line(&format!("Seat {}", t.seat), true).double(false);
        self.line(&format!("{} · {}", t.ticket_type.to_uppercase(), t.category), false).bold(false);
        self.line(&price, false).raw(b"\n").qr(t.code).raw(b"\n");
        self.line(t.code, false).line(&format!("Booking {}", t.booking), false).center(false).cut()
    }

    /// A booking's receipt: total, payment, tendered and change, operator and time; then a cut.
    pub fn receipt(&mut self, theatre: &str, r: &Receipt) -> &mut Document {
        let rule = "-".repeat(self.width);
        let row = |label: &str, value: String, width: usize| {
            let pad = width.saturating_sub(label.len() + encode(&value).len());
            format!("{label}{}{value}", " ".repeat(pad))
        };
        self.center(true).line(theatre, false).line("RECEIPT", false).center(false).line(&rule, false);
        self.line(&row("Booking", r.booking.to_string(), self.width), false);
        let total = row("Total", self.money(r.total), self.width);
        self.bold(true).line(&total, false).bold(false);
        self.line(&row("Paid by", r.payment.name().to_string(), self.width), false);
        if let Some(tendered) = r.tendered {
            self.line(&row("Tendered", self.money(tendered), self.width), false);
            self.line(&row("Change", self.money(tendered - r.total), self.width), false);
        }
        self.line(&rule, false);
        self.line(&row("Served by", r.operator.to_string(), self.width), false);
        self.line(&row("At", format_time(&r.at), self.width), false).cut()
    }
}

/// Text as code page 858 bytes (see the module's rule).
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' '..='~' => out.push(c as u8),
            '£' => out.push(0x9c),
            '€' => out.push(0xd5),
            '·' => out.push(0xfa),
            c if c.is_control() => {}
            c => {
                let folded: String = c.to_string().nfkd().filter(|d| d.is_ascii() && !d.is_ascii_control()).collect();
                if folded.is_empty() { out.push(b'?') } else { out.extend_from_slice(folded.as_bytes()) }
            }
        }
    }
    out
}

/// Sends a document to a printer: a character device (`/dev/usb/lp0`) or the raw port of a
/// network printer (`tcp://HOST:9100`). The error is one line for the counter's status bar.
pub fn send(device: &str, bytes: &[u8]) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("printer {device}: {e}");
    if device.contains("://") && !device.starts_with("tcp://") {
        return Err(format!("printer {device}: a printer is a device path or tcp://HOST:PORT"));
    }
    if let Some(address) = device.strip_prefix("tcp://") {
        use std::net::ToSocketAddrs;
        let target = address
            .to_socket_addrs()
            .map_err(failed)?
            .next()
            .ok_or_else(|| format!("printer {device}: no such address"))?;
        let mut stream = std::net::TcpStream::connect_timeout(&target, Duration::from_secs(3)).map_err(failed)?;
        stream.set_write_timeout(Some(Duration::from_secs(5))).map_err(failed)?;
        stream.write_all(bytes).and_then(|()| stream.flush()).map_err(failed)
    } else {
        let mut file = std::fs::OpenOptions::new().write(true).open(device).map_err(failed)?;
        file.write_all(bytes).and_then(|()| file.flush()).map_err(failed)
    }
}

/// A network printer for tests: a loopback port (its `tcp://` address) that keeps what one
/// connection sends.
#[cfg(test)]
pub fn loopback_printer() -> (String, std::thread::JoinHandle<Vec<u8>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("address").port();
    let printer = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("accept");
        let mut received = Vec::new();
        std::io::Read::read_to_end(&mut socket, &mut received).expect("read");
        received
    });
    (format!("tcp://127.0.0.1:{port}"), printer)
}

/// The bytes as a readable dump, for tests: printable ASCII as is, commands and the rest as
/// `<1B>` hex, a new line after each line feed.
pub fn dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        match b {
            b'\n' => out.push_str("<0A>\n"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("<{b:02X}>")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_time;

    fn slot() -> Slot {
        Slot { id: 7, ..Slot::example("Amélie", "The Grand", "2026-11-23 20:00", "2026-11-23 22:02") }
    }

    fn face(slot: &Slot) -> TicketFace<'_> {
        TicketFace {
            code: "TKT-7F3K9Q",
            booking: "BKG-2M8D4A",
            seat: "H12",
            category: Category::Premium,
            ticket_type: "Child",
            price: 900,
            slot,
        }
    }

    #[test]
    fn a_ticket_starts_with_a_reset_has_a_native_qr_code_and_ends_with_a_cut() {
        let slot = slot();
        let mut doc = Document::new(42, "£");
        doc.ticket("Rex Cinema", &face(&slot));
        let bytes = doc.into_bytes();
        assert_eq!(&bytes[..2], &[ESC, b'@'], "ESC @ first");
        assert_eq!(&bytes[bytes.len() - 4..], &[GS, b'V', 66, 3], "GS V last");
        let store = [GS, b'(', b'k', 13, 0, 49, 80, 48];
        let at = bytes.windows(store.len()).position(|w| w == store).expect("GS ( k stores the code");
        assert_eq!(&bytes[at + store.len()..at + store.len() + 10], b"TKT-7F3K9Q");
        insta::assert_snapshot!("escpos_ticket", dump(&bytes));
    }

    #[test]
    fn a_receipt_has_the_total_payment_tendered_change_operator_and_time() {
        let mut doc = Document::new(32, "£");
        let receipt = Receipt {
            booking: "BKG-2M8D4A",
            total: 2350,
            payment: PaymentMethod::Cash,
            tendered: Some(3000),
            operator: "anna",
            at: parse_time("2026-11-23 19:41").expect("time"),
        };
        doc.receipt("Rex Cinema", &receipt);
        let text = dump(&doc.into_bytes());
        assert!(
            text.contains("Tendered") && text.lines().any(|l| l.starts_with("Change") && l.ends_with("<9C>6.50<0A>")),
            "{text}"
        );
        insta::assert_snapshot!("escpos_receipt", text);
    }

    #[test]
    fn wide_and_accented_characters_follow_the_stated_rule() {
        assert_eq!(encode("Amélie £9.50 €"), b"Amelie \x9c9.50 \xd5".to_vec());
        assert_eq!(encode("千と千尋"), b"????".to_vec(), "no ASCII form: one ? each, never two columns");
        assert_eq!(encode("a\u{1b}b"), b"ab".to_vec(), "control characters never reach the printer");
    }

    #[test]
    fn a_printer_on_a_loopback_port_receives_exactly_the_bytes() {
        let (device, printer) = loopback_printer();
        let slot = slot();
        let mut doc = Document::new(42, "£");
        doc.ticket("Rex Cinema", &face(&slot));
        let bytes = doc.into_bytes();
        send(&device, &bytes).expect("sent");
        assert_eq!(printer.join().expect("printer"), bytes);
        let offline = send("tcp://127.0.0.1:1", &bytes).expect_err("nothing listens on port 1");
        assert!(offline.starts_with("printer tcp://127.0.0.1:1: "), "{offline}");
    }
}
