//! Type mapping: the values the operations bind ([`Arg`]) and read back ([`Column`]), the same
//! for both engines. Ticketly's columns hold only integers and text (money in minor units,
//! times as sortable text), so one small set of types covers every statement.

use std::error::Error as StdError;

use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::store::{Error, Result};

/// A value bound to a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

/// What can be bound to a placeholder.
pub(crate) trait Arg {
    fn value(&self) -> Value<'_>;
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn value(&self) -> Value<'_> {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_arg!(i64, i32, u32, usize, u64);

impl Arg for bool {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl Arg for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Arg for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl<T: Arg + ?Sized> Arg for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Arg> Arg for Option<T> {
    fn value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, Arg::value)
    }
}

/// The arguments of a statement: `args![a, b]` is `&[&a, &b]` as `&[&dyn Arg]`.
macro_rules! args {
    () => { &[] as &[&dyn $crate::store::engine::Arg] };
    ($($a:expr),+ $(,)?) => { &[$(&$a as &dyn $crate::store::engine::Arg),+] };
}
pub(crate) use args;

/// `(?1, ?2), (?3, ?4)` for 2 rows of 2.
pub(crate) fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=columns).map(|c| format!("?{}", r * columns + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
            Value::Int(i) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*i)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

/// PostgreSQL types its placeholders from the statement; a value takes the type asked for.
impl ToSql for Value<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match *self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                _ => i.to_string().to_sql(ty, out),
            },
            Value::Text(s) => s.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// One value of a row, borrowed from the engine's row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

/// A row of a query result.
pub(crate) enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `i` as `T`.
    pub(crate) fn get<T: Column>(&self, i: usize) -> Result<T> {
        T::from_cell(self.cell(i)?)
    }

    /// Column `i` as it is.
    pub(crate) fn cell(&self, i: usize) -> Result<Cell<'_>> {
        match self {
            Row::Sqlite(row) => Ok(match row.get_ref(i)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(n) => Cell::Int(n),
                ValueRef::Text(t) => Cell::Text(std::str::from_utf8(t).map_err(|e| Error::Database(e.to_string()))?),
                other => return Err(Error::Database(format!("unexpected {:?} in column {i}", other.data_type()))),
            }),
            Row::Postgres(row) => {
                let ty = row.columns().get(i).map(|c| c.type_().clone());
                let int = |v: Option<i64>| v.map_or(Cell::Null, Cell::Int);
                Ok(match ty {
                    Some(Type::INT8) => int(row.try_get::<_, Option<i64>>(i)?),
                    Some(Type::INT4) => int(row.try_get::<_, Option<i32>>(i)?.map(i64::from)),
                    Some(Type::INT2) => int(row.try_get::<_, Option<i16>>(i)?.map(i64::from)),
                    Some(Type::BOOL) => int(row.try_get::<_, Option<bool>>(i)?.map(i64::from)),
                    _ => row.try_get::<_, Option<&str>>(i)?.map_or(Cell::Null, Cell::Text),
                })
            }
        }
    }
}

/// What a column can be read as.
pub(crate) trait Column: Sized {
    fn from_cell(cell: Cell<'_>) -> Result<Self>;
}

fn mismatch(cell: Cell<'_>, wanted: &str) -> Error {
    Error::Database(format!("expected {wanted}, found {cell:?}"))
}

impl Column for i64 {
    fn from_cell(cell: Cell<'_>) -> Result<Self> {
        match cell {
            Cell::Int(n) => Ok(n),
            other => Err(mismatch(other, "an integer")),
        }
    }
}

macro_rules! narrow_column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_cell(cell: Cell<'_>) -> Result<Self> {
                let n = i64::from_cell(cell)?;
                <$t>::try_from(n).map_err(|_| Error::Database(format!("{n} is out of range")))
            }
        }
    )*};
}
narrow_column!(i32, u32, usize, u64);

impl Column for bool {
    fn from_cell(cell: Cell<'_>) -> Result<Self> {
        Ok(i64::from_cell(cell)? != 0)
    }
}

impl Column for String {
    fn from_cell(cell: Cell<'_>) -> Result<Self> {
        match cell {
            Cell::Text(t) => Ok(t.to_string()),
            other => Err(mismatch(other, "text")),
        }
    }
}

impl<T: Column> Column for Option<T> {
    fn from_cell(cell: Cell<'_>) -> Result<Self> {
        match cell {
            Cell::Null => Ok(None),
            other => T::from_cell(other).map(Some),
        }
    }
}
