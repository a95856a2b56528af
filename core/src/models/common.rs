//! Types shared by every domain: list pages and cursors.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One page of a cursor-paginated list (`{items, next_cursor, total_pages,
/// current_page, total_items}`).
///
/// Decoding reads the items straight from the input (one pass, no
/// intermediate buffering of the whole page); unknown top-level fields go to
/// [`Page::extra`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Cursor for the next page; `None` on the last page.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// Total number of pages, when the API says.
    #[serde(default)]
    pub total_pages: Option<f64>,
    /// Current page number, when the API says.
    #[serde(default)]
    pub current_page: Option<f64>,
    /// Total number of items, when the API says.
    #[serde(default)]
    pub total_items: Option<f64>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            next_cursor: None,
            total_pages: None,
            current_page: None,
            total_items: None,
            extra: Map::new(),
        }
    }
}

/// Takes one field value, failing on a repeated key like serde's derive.
pub(crate) fn take_once<'de, A, V>(
    map: &mut A,
    slot: &mut Option<V>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    V: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PageVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
            type Value = Page<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a page object ({items, next_cursor, ...})")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
                let mut items: Option<Vec<T>> = None;
                let mut next_cursor: Option<Option<String>> = None;
                let mut total_pages: Option<Option<f64>> = None;
                let mut current_page: Option<Option<f64>> = None;
                let mut total_items: Option<Option<f64>> = None;
                let mut extra = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "items" => take_once(&mut map, &mut items, "items")?,
                        "next_cursor" => take_once(&mut map, &mut next_cursor, "next_cursor")?,
                        "total_pages" => take_once(&mut map, &mut total_pages, "total_pages")?,
                        "current_page" => take_once(&mut map, &mut current_page, "current_page")?,
                        "total_items" => take_once(&mut map, &mut total_items, "total_items")?,
                        _ => {
                            let v: Value = map.next_value()?;
                            extra.insert(key, v);
                        }
                    }
                }
                Ok(Page {
                    items: items.unwrap_or_default(),
                    next_cursor: next_cursor.flatten(),
                    total_pages: total_pages.flatten(),
                    current_page: current_page.flatten(),
                    total_items: total_items.flatten(),
                    extra,
                })
            }
        }
        deserializer.deserialize_map(PageVisitor(PhantomData))
    }
}

impl<T> Page<T> {
    /// Whether another page follows.
    pub fn has_next(&self) -> bool {
        self.next_cursor.as_deref().is_some_and(|c| !c.is_empty())
    }
}
