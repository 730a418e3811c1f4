//! Best-available seats: what a good box office picks when a customer asks for "two seats".
//!
//! Preference, in order: one contiguous block in one row (aisles break a block) that strands no
//! single empty seat, closest to the centre of the hall; then two blocks in adjacent rows; then
//! the seats closest to the centre wherever they are. Accessible seats are kept for those who
//! need them: they are only picked when nothing else fits.

use super::layout::Category;
use super::seatmap::{Seat, SeatId, SeatMap};

/// Picks `count` free seats, or `None` when fewer than `count` are free.
pub fn best_seats(map: &SeatMap, count: usize) -> Option<Vec<SeatId>> {
    best_seats_in(map, count, None)
}

/// Like [`best_seats`], restricted to one category when `only` is given.
pub fn best_seats_in(map: &SeatMap, count: usize, only: Option<Category>) -> Option<Vec<SeatId>> {
    if count == 0 {
        return None;
    }
    let wanted = |s: &Seat| only.is_none_or(|c| s.category == c);
    // First without accessible seats (unless they were asked for), then with every seat.
    let passes: [&dyn Fn(&Seat) -> bool; 2] =
        [&|s: &Seat| wanted(s) && (s.category != Category::Accessible || only.is_some()), &wanted];
    for usable in passes {
        let rows = Rows::of(map, usable);
        if rows.free() < count {
            continue;
        }
        let pick = rows.best_block(count).or_else(|| rows.best_pair(count)).unwrap_or_else(|| rows.closest(count));
        return Some(pick);
    }
    None
}

/// Whether `ids` are side by side in one row, with no seat or aisle between them.
pub fn together(map: &SeatMap, ids: &[SeatId]) -> bool {
    let mut seats: Vec<&Seat> = ids.iter().filter_map(|id| map.by_id(*id)).collect();
    seats.sort_by_key(|s| (s.grid_row, s.grid_col));
    seats.windows(2).all(|w| w[0].grid_row == w[1].grid_row && w[0].grid_col + 1 == w[1].grid_col)
}

/// `ids` by row, in seat order: "A2, A4 · B3".
pub fn by_rows(map: &SeatMap, ids: &[SeatId]) -> String {
    let mut seats: Vec<&Seat> = ids.iter().filter_map(|id| map.by_id(*id)).collect();
    seats.sort_by_key(|s| (s.grid_row, s.grid_col));
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut last_row = None;
    for seat in seats {
        if last_row != Some(seat.grid_row) {
            rows.push(Vec::new());
            last_row = Some(seat.grid_row);
        }
        if let Some(row) = rows.last_mut() {
            row.push(seat.label());
        }
    }
    rows.iter().map(|r| r.join(", ")).collect::<Vec<_>>().join(" · ")
}

/// A block of `count` seats side by side in one category that costs less than `than`, if the
/// hall has one free: the cheapest such (category, seats, total).
pub fn cheaper_block(map: &SeatMap, count: usize, than: i64) -> Option<(Category, Vec<SeatId>, i64)> {
    Category::ALL
        .iter()
        .filter(|c| **c != Category::Accessible)
        .filter_map(|category| {
            let ids = best_seats_in(map, count, Some(*category))?;
            let total: i64 = ids.iter().filter_map(|id| map.by_id(*id)).map(|s| s.price).sum();
            (total < than && together(map, &ids)).then_some((*category, ids, total))
        })
        .min_by_key(|(_, _, total)| *total)
}

/// A hall cut into segments: runs of seats side by side in one row, with no aisle between.
struct Rows<'a> {
    segments: Vec<Vec<Slot<'a>>>,
    /// Twice the hall's centre, so that half-seat centres stay integers.
    centre_row2: i64,
    centre_col2: i64,
}

#[derive(Clone, Copy)]
struct Slot<'a> {
    seat: &'a Seat,
    free: bool,
}

/// A candidate block: where it is and how good it is (lower is better). Seats are only
/// collected for the winner, so scoring a thousand candidates allocates nothing.
#[derive(Clone, Copy)]
struct Block {
    segment: usize,
    start: usize,
    len: usize,
    strands: usize,
    distance: i64,
}

impl Block {
    fn key(&self) -> (usize, i64) {
        (self.strands, self.distance)
    }
}

impl<'a> Rows<'a> {
    fn of(map: &'a SeatMap, usable: &dyn Fn(&Seat) -> bool) -> Rows<'a> {
        let (min_row, max_row) = bounds(map.seats.iter().map(|s| s.grid_row));
        let (min_col, max_col) = bounds(map.seats.iter().map(|s| s.grid_col));
        let mut segments: Vec<Vec<Slot>> = Vec::new();
        let mut previous: Option<&Seat> = None;
        for seat in &map.seats {
            let adjacent = previous.is_some_and(|p| p.grid_row == seat.grid_row && p.grid_col + 1 == seat.grid_col);
            let slot = Slot { seat, free: seat.is_free() && usable(seat) };
            match segments.last_mut() {
                Some(segment) if adjacent => segment.push(slot),
                _ => segments.push(vec![slot]),
            }
            previous = Some(seat);
        }
        Rows { segments, centre_row2: min_row + max_row, centre_col2: min_col + max_col }
    }

    fn free(&self) -> usize {
        self.segments.iter().flatten().filter(|s| s.free).count()
    }

    /// Distance of a block (first..=last seat of one row) from the centre. A row off centre
    /// costs as much as two seats sideways: people mind being near the screen more.
    fn distance(&self, first: &Seat, last: &Seat) -> i64 {
        let row2 = 2 * i64::from(first.grid_row);
        let col2 = i64::from(first.grid_col) + i64::from(last.grid_col);
        (row2 - self.centre_row2).abs() * 2 + (col2 - self.centre_col2).abs()
    }

    /// Every contiguous free block of `count` seats, each scored.
    fn blocks(&self, count: usize) -> impl Iterator<Item = Block> + '_ {
        self.segments.iter().enumerate().filter(move |(_, seg)| seg.len() >= count).flat_map(move |(index, segment)| {
            // Free seats in a row up to each position, so a block is checked in one step.
            let mut run = 0;
            let runs: Vec<usize> = segment
                .iter()
                .map(|s| {
                    run = if s.free { run + 1 } else { 0 };
                    run
                })
                .collect();
            (count - 1..segment.len()).filter(move |end| runs[*end] >= count).map(move |end| {
                let start = end + 1 - count;
                Block {
                    segment: index,
                    start,
                    len: count,
                    strands: usize::from(strands_left(segment, start)) + usize::from(strands_right(segment, end + 1)),
                    distance: self.distance(segment[start].seat, segment[end].seat),
                }
            })
        })
    }

    fn seats_of(&self, block: Block) -> impl Iterator<Item = SeatId> + '_ {
        self.segments[block.segment][block.start..block.start + block.len].iter().map(|s| s.seat.id)
    }

    fn row_of(&self, block: Block) -> u32 {
        self.segments[block.segment][0].seat.grid_row
    }

    fn best_block(&self, count: usize) -> Option<Vec<SeatId>> {
        self.blocks(count).min_by_key(Block::key).map(|b| self.seats_of(b).collect())
    }

    /// Two blocks, one behind the other, when no row has room for the whole party.
    fn best_pair(&self, count: usize) -> Option<Vec<SeatId>> {
        if count < 2 {
            return None;
        }
        let front_size = count.div_ceil(2);
        let backs: Vec<Block> = self.blocks(count - front_size).collect();
        let mut best: Option<(Block, Block)> = None;
        let key = |(f, b): &(Block, Block)| (f.strands + b.strands, f.distance + b.distance);
        for front in self.blocks(front_size) {
            let front_row = self.row_of(front);
            for back in backs.iter().copied() {
                let back_row = self.row_of(back);
                if back_row != front_row + 1 && front_row != back_row + 1 {
                    continue;
                }
                if best.as_ref().is_none_or(|b| key(&(front, back)) < key(b)) {
                    best = Some((front, back));
                }
            }
        }
        best.map(|(front, back)| self.seats_of(front).chain(self.seats_of(back)).collect())
    }

    /// The free seats closest to the centre, wherever they are: the last resort.
    fn closest(&self, count: usize) -> Vec<SeatId> {
        let mut free: Vec<&Seat> = self.segments.iter().flatten().filter(|s| s.free).map(|s| s.seat).collect();
        free.sort_by_key(|s| (self.distance(s, s), s.grid_row, s.grid_col));
        free.into_iter().take(count).map(|s| s.id).collect()
    }
}

/// Taking seats from `start` on leaves exactly one free seat to their left, walled in.
fn strands_left(segment: &[Slot], start: usize) -> bool {
    start >= 1 && segment[start - 1].free && (start == 1 || !segment[start - 2].free)
}

/// Taking seats up to `end` (exclusive) leaves exactly one free seat to their right, walled in.
fn strands_right(segment: &[Slot], end: usize) -> bool {
    end < segment.len() && segment[end].free && (end + 1 == segment.len() || !segment[end + 1].free)
}

fn bounds(values: impl Iterator<Item = u32>) -> (i64, i64) {
    values.fold((i64::MAX, i64::MIN), |(lo, hi), v| (lo.min(i64::from(v)), hi.max(i64::from(v))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::layout::HallLayout;
    use crate::domain::seatmap::SeatStatus;

    /// A map from layout text, with the seats named in `taken` booked.
    fn map(layout: &str, taken: &[&str]) -> SeatMap {
        let specs = HallLayout::parse(layout).expect("layout").seats();
        SeatMap::new(
            specs
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let label = format!("{}{}", s.row_label, s.number);
                    Seat {
                        id: i as i64,
                        status: if taken.contains(&label.as_str()) {
                            SeatStatus::Booked
                        } else {
                            SeatStatus::Available
                        },
                        row_label: s.row_label,
                        number: s.number,
                        category: s.category,
                        grid_row: s.grid_row,
                        grid_col: s.grid_col,
                        price: 1000,
                    }
                })
                .collect(),
        )
    }

    fn labels(map: &SeatMap, ids: Option<Vec<SeatId>>) -> Vec<String> {
        let mut v: Vec<String> =
            ids.unwrap_or_default().into_iter().map(|id| map.by_id(id).map(Seat::label).unwrap_or_default()).collect();
        v.sort();
        v
    }

    #[test]
    fn picks_the_centre_of_the_middle_row() {
        let m = map("A: RRRRRR\nB: RRRRRR\nC: RRRRRR", &[]);
        assert_eq!(labels(&m, best_seats(&m, 2)), ["B3", "B4"]);
    }

    #[test]
    fn does_not_strand_a_single_seat() {
        // B1 taken: B2-B3 would leave… nothing stranded; but with B4 taken, B2-B3 strands B1? no.
        // Row B: free B1 B2 B3 _ B5 B6 (B4 taken). Picking B2-B3 strands B1; B1-B2 strands B3.
        // The picker prefers B5-B6 in the same row, which strands nothing.
        let m = map("A: RRRRRR\nB: RRRRRR\nC: RRRRRR", &["B4"]);
        let pick = labels(&m, best_seats(&m, 2));
        assert!(pick == ["B5", "B6"] || pick[0].starts_with('A') || pick[0].starts_with('C'), "{pick:?}");
        let m = map("A: RRRRR", &["A1"]);
        // Free A2..A5: A3-A4 would strand A2 and A5; A2-A3 and A4-A5 strand nothing.
        let pick = labels(&m, best_seats(&m, 2));
        assert!(pick == ["A2", "A3"] || pick == ["A4", "A5"], "{pick:?}");
    }

    #[test]
    fn aisles_break_blocks() {
        let m = map("A: RR.RR", &[]);
        let pick = labels(&m, best_seats(&m, 2));
        assert!(pick == ["A1", "A2"] || pick == ["A3", "A4"], "{pick:?}");
    }

    #[test]
    fn falls_back_to_adjacent_rows_then_anywhere() {
        let m = map("A: RRR\nB: RRR", &["A1", "B3"]);
        let pick = labels(&m, best_seats(&m, 4));
        assert_eq!(pick, ["A2", "A3", "B1", "B2"]);
        let m = map("A: RRR\nB: RRR\nC: RRR", &["A2", "B2", "C2"]);
        assert_eq!(labels(&m, best_seats(&m, 5)).len(), 5);
        assert_eq!(best_seats(&m, 7), None);
    }

    #[test]
    fn keeps_accessible_seats_for_last() {
        let m = map("A: AAARR", &[]);
        assert_eq!(labels(&m, best_seats(&m, 2)), ["A4", "A5"]);
        assert_eq!(labels(&m, best_seats(&m, 4)).len(), 4);
        assert_eq!(labels(&m, best_seats_in(&m, 1, Some(Category::Accessible))), ["A3"]);
    }

    #[test]
    fn seats_apart_are_named_by_row_and_a_cheaper_block_is_found() {
        // Row A: A1 free, A2 sold, A3 free; row B: B1 B2 free. Premium row B costs more.
        let mut m = map("A: RRR\nB: PP\n", &["A2"]);
        for seat in m.seats.iter_mut().filter(|s| s.row_label == "B") {
            seat.price = 1500;
        }
        let ids = |labels: &[&str]| -> Vec<SeatId> {
            labels.iter().filter_map(|l| m.seats.iter().find(|s| s.label() == *l).map(|s| s.id)).collect()
        };
        assert!(together(&m, &ids(&["B1", "B2"])));
        assert!(!together(&m, &ids(&["A1", "A3"])), "a sold seat between");
        assert!(!together(&m, &ids(&["A3", "B1"])));
        assert_eq!(by_rows(&m, &ids(&["B1", "A3", "A1"])), "A1, A3 · B1");
        // Two seats for 30.00 (Premium): no cheaper pair side by side (A1 and A3 are apart).
        assert_eq!(cheaper_block(&m, 2, 3000), None);
        m.seats.iter_mut().filter(|s| s.label() == "A2").for_each(|s| s.status = SeatStatus::Available);
        let (category, found, total) = cheaper_block(&m, 2, 3000).expect("a Regular pair");
        assert_eq!((category, total), (Category::Regular, 2000));
        assert!(together(&m, &found));
    }
}
