//! One way to run a statement on either engine.
//!
//! Each store method is written once, with SQL that both SQLite and
//! PostgreSQL read the same way (`"end"` quoted, booleans compared with
//! `TRUE`/`FALSE`, upserts as `ON CONFLICT … DO …`, `RETURNING`), and runs
//! through [`Stmt`], whose surface is rusqlite's (`prepare_cached`,
//! `query_row`, `query_map`, `execute`, `.optional()`), so the SQLite path
//! is what it was: a cached rusqlite statement, parameters bound as values.
//! On PostgreSQL the same text has its `?N` placeholders written as `$N`
//! once, is prepared once per connection and kept, and each parameter is
//! converted to the type the server expects for it (an integer for a
//! `BOOLEAN` column is a flag, for a `TEXT` one its digits). A statement
//! that must differ between the engines (a search, a file backup) is written
//! per engine where it is used, or refused on the one that cannot run it.

use super::postgres::off_async_tasks;
use super::postgres::PgStore;
use super::StoreError;
use postgres::types::{IsNull, ToSql as PgToSql, Type};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// A value bound to a statement, borrowed from the caller.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// What can be bound to a statement on both engines.
pub trait Param {
    fn value(&self) -> Value<'_>;
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, Param::value)
    }
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn value(&self) -> Value<'_> {
                // Every integer Factdesk stores fits in 64 bits; a larger one is clamped, never wrapped.
                Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_param!(i64, i32, u32, u64, usize, u16, u8);

impl Param for bool {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl Param for f64 {
    fn value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl Param for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

/// The parameters of one run of a statement: `params![…]`, an array, or `[]`.
pub trait Params {
    fn with<R>(&self, f: impl FnOnce(&[&dyn Param]) -> R) -> R;
}

impl Params for &[&dyn Param] {
    fn with<R>(&self, f: impl FnOnce(&[&dyn Param]) -> R) -> R {
        f(self)
    }
}

impl Params for [&dyn Param; 0] {
    fn with<R>(&self, f: impl FnOnce(&[&dyn Param]) -> R) -> R {
        f(&[])
    }
}

macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: Param> Params for [T; $n] {
            fn with<R>(&self, f: impl FnOnce(&[&dyn Param]) -> R) -> R {
                let refs: [&dyn Param; $n] = self.each_ref().map(|p| p as &dyn Param);
                f(&refs)
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6);

/// `params![a, b, …]`: parameters of different types, as rusqlite's macro.
macro_rules! params {
    () => { [] as [&dyn $crate::store::engine::Param; 0] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::engine::Param),+] as &[&dyn $crate::store::engine::Param] };
}
pub(crate) use params;

/// A SQLite binding of a [`Param`].
struct Lite<'a>(&'a dyn Param);

impl rusqlite::ToSql for Lite<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self.0.value() {
            Value::Null => ValueRef::Null,
            Value::Int(n) => ValueRef::Integer(n),
            Value::Real(r) => ValueRef::Real(r),
            Value::Text(t) => ValueRef::Text(t.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// A PostgreSQL binding of a [`Param`], converted to the parameter's type.
#[derive(Debug)]
struct Pg<'a>(Value<'a>);

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl PgToSql for Pg<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(n)?.to_sql(ty, out),
                Type::BOOL => (n != 0).to_sql(ty, out),
                #[allow(clippy::cast_precision_loss)]
                Type::FLOAT8 => (n as f64).to_sql(ty, out),
                _ => n.to_string().as_str().to_sql(ty, out),
            },
            Value::Real(r) => match *ty {
                #[allow(clippy::cast_possible_truncation)]
                Type::FLOAT4 => (r as f32).to_sql(ty, out),
                Type::FLOAT8 => r.to_sql(ty, out),
                _ => Err(format!("a real number cannot be bound to a parameter of type {ty}").into()),
            },
            Value::Text(t) => t.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A column's value, borrowed from the row.
#[derive(Debug, Clone, Copy)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// What can be read from a column on both engines.
pub trait Column: Sized {
    fn from_column(value: ValueRef<'_>) -> Result<Self, String>;
}

impl<T: Column> Column for Option<T> {
    fn from_column(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Null => Ok(None),
            other => T::from_column(other).map(Some),
        }
    }
}

macro_rules! int_column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_column(value: ValueRef<'_>) -> Result<Self, String> {
                match value {
                    ValueRef::Int(n) => <$t>::try_from(n).map_err(|_| format!("{n} is out of range")),
                    other => Err(format!("expected an integer, found {other:?}")),
                }
            }
        }
    )*};
}
int_column!(i64, i32, u32, u64, usize);

impl Column for bool {
    fn from_column(value: ValueRef<'_>) -> Result<Self, String> {
        i64::from_column(value).map(|n| n != 0)
    }
}

impl Column for f64 {
    fn from_column(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Real(r) => Ok(r),
            #[allow(clippy::cast_precision_loss)]
            ValueRef::Int(n) => Ok(n as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}

impl Column for String {
    fn from_column(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Text(t) => Ok(t.to_owned()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl Column for Vec<u8> {
    fn from_column(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            ValueRef::Text(t) => Ok(t.as_bytes().to_vec()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}

/// One row of a result, on either engine.
pub enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `index`, read as `T`.
    pub fn get<T: Column>(&self, index: usize) -> Result<T, StoreError> {
        let malformed = |e: String| StoreError::Malformed(format!("column {index}: {e}"));
        match self {
            Row::Lite(row) => T::from_column(lite_value(row.get_ref(index)?).map_err(malformed)?).map_err(malformed),
            Row::Pg(row) => T::from_column(pg_value(row, index)?).map_err(malformed),
        }
    }

    /// Column `index` as it is, for reads whose type depends on the table.
    pub fn get_ref(&self, index: usize) -> Result<ValueRef<'_>, StoreError> {
        match self {
            Row::Lite(row) => {
                lite_value(row.get_ref(index)?).map_err(|e| StoreError::Malformed(format!("column {index}: {e}")))
            }
            Row::Pg(row) => pg_value(row, index),
        }
    }
}

fn lite_value(value: rusqlite::types::ValueRef<'_>) -> Result<ValueRef<'_>, String> {
    use rusqlite::types::ValueRef as V;
    Ok(match value {
        V::Null => ValueRef::Null,
        V::Integer(n) => ValueRef::Int(n),
        V::Real(r) => ValueRef::Real(r),
        V::Text(t) => ValueRef::Text(std::str::from_utf8(t).map_err(|e| e.to_string())?),
        V::Blob(b) => ValueRef::Blob(b),
    })
}

fn pg_value(row: &postgres::Row, index: usize) -> Result<ValueRef<'_>, StoreError> {
    let column = row.columns().get(index).ok_or_else(|| StoreError::Malformed(format!("no column {index}")))?;
    let int = |n: Option<i64>| n.map_or(ValueRef::Null, ValueRef::Int);
    Ok(match *column.type_() {
        Type::INT8 => int(row.try_get::<_, Option<i64>>(index)?),
        Type::INT4 => int(row.try_get::<_, Option<i32>>(index)?.map(i64::from)),
        Type::INT2 => int(row.try_get::<_, Option<i16>>(index)?.map(i64::from)),
        Type::BOOL => int(row.try_get::<_, Option<bool>>(index)?.map(i64::from)),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(index)?.map_or(ValueRef::Null, ValueRef::Real),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(index)?.map_or(ValueRef::Null, |r| ValueRef::Real(f64::from(r))),
        Type::BYTEA => row.try_get::<_, Option<&[u8]>>(index)?.map_or(ValueRef::Null, ValueRef::Blob),
        _ => row.try_get::<_, Option<&str>>(index)?.map_or(ValueRef::Null, ValueRef::Text),
    })
}

/// `.optional()` on a single-row read: no row is `None`, on either engine.
pub trait Optional<T> {
    fn optional(self) -> Result<Option<T>, StoreError>;
}

impl<T> Optional<T> for Result<T, StoreError> {
    fn optional(self) -> Result<Option<T>, StoreError> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// The connection under a [`super::Store`].
pub(crate) enum Engine {
    Lite(rusqlite::Connection),
    Pg(Box<PgEngine>),
}

/// A team store's connection, with its prepared statements.
pub(crate) struct PgEngine {
    pub(crate) store: RefCell<PgStore>,
    /// Prepared statements by their SQLite text.
    statements: RefCell<HashMap<String, postgres::Statement>>,
    /// Rows changed through this connection (SQLite's `total_changes`).
    pub(crate) changes: Cell<u64>,
    /// Whether a transaction is open on this connection.
    pub(crate) in_transaction: Cell<bool>,
}

impl PgEngine {
    pub(crate) fn new(store: PgStore) -> Self {
        Self {
            store: RefCell::new(store),
            statements: RefCell::new(HashMap::new()),
            changes: Cell::new(0),
            in_transaction: Cell::new(false),
        }
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = off_async_tasks(|| self.store.borrow_mut().client().prepare(&to_postgres(sql)))
            .map_err(|e| self.store_error(e))?;
        self.statements.borrow_mut().insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// What the server said as a [`StoreError`]; a wait for a table lock the server named no table for
    /// ([`StoreError::Busy`]) is told which tables other sessions hold (see `PgStore::name_what_is_held`).
    fn store_error(&self, error: postgres::Error) -> StoreError {
        let error = StoreError::from(error);
        if !matches!(error, StoreError::Busy { held: None }) {
            return error;
        }
        off_async_tasks(|| self.store.borrow_mut().name_what_is_held(error, self.in_transaction.get()))
    }

    /// Runs statements that take no parameters and return nothing (`BEGIN`, `SAVEPOINT`…).
    pub(crate) fn batch(&self, sql: &str) -> Result<(), StoreError> {
        off_async_tasks(|| self.store.borrow_mut().client().batch_execute(sql)).map_err(|e| self.store_error(e))
    }

    fn query(&self, statement: &postgres::Statement, params: &[&dyn Param]) -> Result<Vec<postgres::Row>, StoreError> {
        let values: Vec<Pg<'_>> = params.iter().map(|p| Pg(p.value())).collect();
        let refs: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        off_async_tasks(|| self.store.borrow_mut().client().query(statement, &refs)).map_err(|e| self.store_error(e))
    }

    fn execute(&self, statement: &postgres::Statement, params: &[&dyn Param]) -> Result<usize, StoreError> {
        let values: Vec<Pg<'_>> = params.iter().map(|p| Pg(p.value())).collect();
        let refs: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        let changed = off_async_tasks(|| self.store.borrow_mut().client().execute(statement, &refs))
            .map_err(|e| self.store_error(e))?;
        self.changes.set(self.changes.get() + changed);
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }
}

/// An identifier (a table, a column, a login) quoted as SQL quotes one, the
/// same on SQLite and PostgreSQL: in double quotes, a double quote doubled.
/// For the few statements whose identifiers are not fixed text.
pub(crate) fn quoted_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// SQLite's numbered placeholders (`?1`) as PostgreSQL's (`$1`), outside
/// quoted text; and `CROSS JOIN … ON`, SQLite's way of fixing the join
/// order, as the inner join it is (PostgreSQL plans the order itself).
pub(crate) fn to_postgres(sql: &str) -> String {
    let sql = sql.replace("CROSS JOIN", "JOIN");
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted && chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            other => out.push(other),
        }
    }
    out
}

/// A prepared statement on either engine.
pub(crate) enum Stmt<'s> {
    Lite(rusqlite::CachedStatement<'s>),
    LiteOnce(rusqlite::Statement<'s>),
    /// The engine, the statement, and whether it writes (its returned rows count as changes).
    Pg(&'s PgEngine, postgres::Statement, bool),
}

impl<'s> Stmt<'s> {
    pub(crate) fn prepare(engine: &'s Engine, sql: &str, cached: bool) -> Result<Self, StoreError> {
        Ok(match engine {
            Engine::Lite(conn) if cached => Stmt::Lite(conn.prepare_cached(sql)?),
            Engine::Lite(conn) => Stmt::LiteOnce(conn.prepare(sql)?),
            Engine::Pg(pg) => Stmt::Pg(pg, pg.statement(sql)?, writes(sql)),
        })
    }

    /// Runs a statement that returns no rows; how many rows it changed.
    pub fn execute(&mut self, params: impl Params) -> Result<usize, StoreError> {
        let lite = |stmt: &mut rusqlite::Statement<'_>| {
            params.with(|p| Ok(stmt.execute(rusqlite::params_from_iter(p.iter().map(|v| Lite(*v))))?))
        };
        match self {
            Stmt::Lite(stmt) => lite(stmt),
            Stmt::LiteOnce(stmt) => lite(stmt),
            Stmt::Pg(pg, statement, _) => params.with(|p| pg.execute(statement, p)),
        }
    }

    /// The first row, read by `read`; no row is an error (`.optional()` makes it `None`).
    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        read: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut cursor = self.query(params)?;
        match cursor.next()? {
            Some(row) => read(&row),
            None => Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)),
        }
    }

    /// Every row, each read by `read`.
    pub fn query_map<T, F: FnMut(&Row<'_>) -> Result<T, StoreError>>(
        &mut self,
        params: impl Params,
        read: F,
    ) -> Result<MappedRows<'_, F>, StoreError> {
        Ok(MappedRows { cursor: self.query(params)?, read })
    }

    /// The rows, to walk one at a time with [`Cursor::next`].
    pub fn query(&mut self, params: impl Params) -> Result<Cursor<'_>, StoreError> {
        fn lite<'a>(stmt: &'a mut rusqlite::Statement<'_>, params: &impl Params) -> Result<Cursor<'a>, StoreError> {
            let rows = params.with(|p| stmt.query(rusqlite::params_from_iter(p.iter().map(|v| Lite(*v)))))?;
            Ok(Cursor::Lite(rows))
        }
        match self {
            Stmt::Lite(stmt) => lite(stmt, &params),
            Stmt::LiteOnce(stmt) => lite(stmt, &params),
            Stmt::Pg(pg, statement, writes) => {
                let rows = params.with(|p| pg.query(statement, p))?;
                if *writes {
                    pg.changes.set(pg.changes.get() + rows.len() as u64);
                }
                Ok(Cursor::Pg { rows: rows.into_iter(), current: None })
            }
        }
    }
}

/// Whether a statement writes (an `INSERT … RETURNING` returns rows too):
/// the rows it returns count as changes, as SQLite counts them.
fn writes(sql: &str) -> bool {
    let verb = sql.split_whitespace().next().unwrap_or_default();
    ["INSERT", "UPDATE", "DELETE"].iter().any(|w| verb.eq_ignore_ascii_case(w))
}

/// Rows of a result, one at a time.
pub(crate) enum Cursor<'s> {
    Lite(rusqlite::Rows<'s>),
    Pg { rows: std::vec::IntoIter<postgres::Row>, current: Option<postgres::Row> },
}

impl Cursor<'_> {
    /// The next row, `None` after the last.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>, StoreError> {
        match self {
            Cursor::Lite(rows) => Ok(rows.next()?.map(Row::Lite)),
            Cursor::Pg { rows, current } => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Pg))
            }
        }
    }
}

/// Rows of a result, each read by a function.
pub(crate) struct MappedRows<'s, F> {
    cursor: Cursor<'s>,
    read: F,
}

impl<T, F: FnMut(&Row<'_>) -> Result<T, StoreError>> Iterator for MappedRows<'_, F> {
    type Item = Result<T, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.cursor.next() {
            Ok(Some(row)) => Some((self.read)(&row)),
            Ok(None) => None,
            Err(error) => Some(Err(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn placeholders_become_numbered_dollars_outside_quoted_text() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE b = ?1 AND c = '?2' OR d = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' OR d = $12"
        );
    }
}
