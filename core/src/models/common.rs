//! Types shared by every domain: list pages and cursors.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One page of a cursor-paginated list (`{items, next_cursor, total_pages,
/// current_page, total_items}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new")]
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

impl<T> Page<T> {
    /// Whether another page follows.
    pub fn has_next(&self) -> bool {
        self.next_cursor.as_deref().is_some_and(|c| !c.is_empty())
    }
}
