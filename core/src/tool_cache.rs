//! Tool schemas as the client's caches keep them: each tool's compact JSON
//! text, compressed with LZ4 (pure Rust, safe code).
//!
//! The caches of pinned toolkit versions ([`crate::tools::Tools::get_list`]'s
//! query cache and the per-tool schema cache) hold thousands of schemas of
//! about 8 KB each, read only on cold paths (the first conversion of a
//! cached list, a schema lookup). Kept as text they would be the largest
//! part of a client's memory; compressed, a tool is decoded on demand in
//! about a microsecond.
//!
//! The tools of one list are packed against a shared dictionary (the
//! list's first tool: tools of one toolkit repeat most of their shape and
//! wording), so each tool stays decodable on its own while compressing
//! like the whole list would. On the benchmark toolkit of 2,000 tools
//! (15.1 MB of text) that keeps 0.56 MB; alone, each tool keeps about
//! half its size.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::models::Tool;

/// Longest dictionary (bytes of the first tool's text) a list is packed
/// against. LZ4 matches reach 64 KB back; a longer dictionary costs more
/// to index for every tool than it saves.
const DICT_MAX: usize = 32 * 1024;

/// One tool's JSON text, compressed (see the module docs). Decoding gives
/// back exactly the text it was packed from.
pub struct PackedTool {
    /// The dictionary shared by the tools of one list, if packed with one.
    dict: Option<Arc<[u8]>>,
    /// LZ4 block.
    bytes: Box<[u8]>,
    /// Length of the text in bytes.
    len: usize,
}

impl std::fmt::Debug for PackedTool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackedTool")
            .field("text_len", &self.len)
            .field("packed_len", &self.bytes.len())
            .field("dict_len", &self.dict.as_ref().map(|d| d.len()))
            .finish()
    }
}

impl PackedTool {
    /// Packs one tool's JSON text on its own (no shared dictionary).
    pub fn pack(text: &str) -> Self {
        Self {
            dict: None,
            bytes: lz4_flex::block::compress(text.as_bytes()).into_boxed_slice(),
            len: text.len(),
        }
    }

    /// Packs a tool as JSON text (what the caches keep for a schema fetched
    /// on its own).
    pub fn of_tool(tool: &Tool) -> Result<Self> {
        let text = serde_json::to_string(tool)
            .map_err(|e| Error::internal(format!("a tool schema does not encode as JSON: {e}")))?;
        Ok(Self::pack(&text))
    }

    /// Length of the JSON text in bytes.
    pub fn text_len(&self) -> usize {
        self.len
    }

    /// Bytes this tool keeps (its shared dictionary not counted).
    pub fn packed_len(&self) -> usize {
        self.bytes.len()
    }

    /// The JSON text back.
    pub fn text(&self) -> Result<String> {
        let mut buf = Vec::new();
        self.unpack_into(&mut buf)?;
        String::from_utf8(buf).map_err(|e| Error::internal(format!("a cached tool schema is not UTF-8: {e}")))
    }

    /// The JSON text back, into `buf` (a scratch buffer reused across
    /// calls; its contents are replaced).
    pub fn text_into(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.unpack_into(buf)
    }

    /// The tool, decoded.
    pub fn decode(&self) -> Result<Tool> {
        self.decode_with(&mut Vec::new())
    }

    /// The tool, decoded through `buf` (a scratch buffer reused across
    /// calls when decoding many tools).
    pub fn decode_with(&self, buf: &mut Vec<u8>) -> Result<Tool> {
        self.unpack_into(buf)?;
        // Validating the text once and parsing it as `str` is several times
        // faster than letting the parser validate each string of a slice.
        let text = std::str::from_utf8(buf)
            .map_err(|e| Error::internal(format!("a cached tool schema is not UTF-8: {e}")))?;
        serde_json::from_str(text)
            .map_err(|e| Error::internal(format!("a cached tool schema does not decode: {e}")))
    }

    /// Decompresses the text into `buf` (replacing its contents).
    fn unpack_into(&self, buf: &mut Vec<u8>) -> Result<()> {
        buf.clear();
        buf.resize(self.len, 0);
        let n = match &self.dict {
            Some(dict) => lz4_flex::block::decompress_into_with_dict(&self.bytes, buf, dict),
            None => lz4_flex::block::decompress_into(&self.bytes, buf),
        }
        .map_err(|e| Error::internal(format!("a cached tool schema does not decompress: {e}")))?;
        if n != self.len {
            return Err(Error::internal(format!(
                "a cached tool schema decompressed to {n} bytes instead of {}",
                self.len
            )));
        }
        Ok(())
    }
}

/// Packs the tools of one list against a shared dictionary: the first
/// tool's text (up to 32 KB), kept once for the whole list.
#[derive(Debug, Default)]
pub struct ListPacker {
    dict: Option<Arc<[u8]>>,
}

impl ListPacker {
    /// A packer for a new list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Packs one tool's JSON text (the first one packed becomes the list's
    /// dictionary).
    pub fn pack(&mut self, text: &str) -> PackedTool {
        let bytes = text.as_bytes();
        let dict = self.dict.get_or_insert_with(|| Arc::from(&bytes[..bytes.len().min(DICT_MAX)])).clone();
        let packed = lz4_flex::block::compress_with_dict(bytes, &dict).into_boxed_slice();
        PackedTool { dict: Some(dict), bytes: packed, len: bytes.len() }
    }

    /// Bytes of the shared dictionary (0 before the first tool).
    pub fn dict_len(&self) -> usize {
        self.dict.as_ref().map_or(0, |d| d.len())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn texts_round_trip_alone_and_against_a_dictionary() {
        let texts = [
            r#"{"slug":"A","description":"caf\u00e9 \"quoted\" \\ back\nslash","x":"日本語 🎉"}"#,
            r#"{"slug":"B","description":"café \"quoted\" \\ back\nslash","x":"日本語 🎉 more"}"#,
            "",
            "{}",
        ];
        let mut packer = ListPacker::new();
        let mut buf = b"left over".to_vec();
        for t in texts {
            assert_eq!(PackedTool::pack(t).text().unwrap(), t);
            let packed = packer.pack(t);
            assert_eq!(packed.text().unwrap(), t);
            packed.text_into(&mut buf).unwrap();
            assert_eq!(buf, t.as_bytes());
        }
        assert_eq!(packer.dict_len(), texts[0].len());
    }

    #[test]
    fn a_long_first_tool_gives_a_bounded_dictionary() {
        let first = format!("{{\"d\":\"{}\"}}", "ab".repeat(40_000));
        let mut packer = ListPacker::new();
        let p = packer.pack(&first);
        assert_eq!(packer.dict_len(), DICT_MAX);
        assert_eq!(p.text().unwrap(), first);
        assert!(p.packed_len() < first.len() / 10);
    }

    #[test]
    fn a_corrupt_block_is_an_internal_error_not_a_panic() {
        let mut p = PackedTool::pack(r#"{"slug":"A","description":"some text some text some text"}"#);
        p.bytes = vec![0xff; 8].into_boxed_slice();
        assert!(matches!(p.text(), Err(Error::Internal { .. })));
    }
}
