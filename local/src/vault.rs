//! Encryption at rest of stored secrets (connected-account credentials and tokens, auth-config
//! client secrets, webhook signing secrets, OAuth2 client secrets and PKCE verifiers).
//!
//! A random 32-byte AES-256-GCM key lives in `<data>/secret.key` (created with mode 0600;
//! composio-local refuses to start when the file is readable by others or is not 32 bytes). Every
//! value is sealed with a fresh random 96-bit nonce and stored as text:
//! `enc:v1:<base64(nonce || ciphertext || tag)>`.
//!
//! The SQL layer does not handle keys: [`Vault::install`] registers two SQL functions on the
//! connection, `secret_enc(text)` and `secret_dec(text)`, and the statements that read or write a
//! secret column wrap it in them. `secret_dec` passes values without the `enc:v1:` prefix through
//! unchanged, so plaintext rows of an older data folder still load; [`migrate`] encrypts them on
//! start and checks that the key opens every encrypted value already stored.

use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use rand::RngExt;
use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection};

use crate::errors::LocalError;

/// File name of the encryption key inside the data folder.
pub const KEY_FILE: &str = "secret.key";
/// Prefix of an encrypted value (format version 1).
pub const PREFIX: &str = "enc:v1:";
/// Length of the key in bytes.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 12;

/// `(table, column)` of every column holding secrets.
pub const SECRET_COLUMNS: &[(&str, &str)] = &[
    ("connected_accounts", "state"),
    ("connected_accounts", "data"),
    ("auth_configs", "credentials"),
    ("auth_configs", "settings"),
    ("oauth_clients", "client_secret"),
    ("oauth_pending", "code_verifier"),
    ("webhook_subscriptions", "secret"),
];

/// Why a stored value could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// The text after `enc:v1:` is not base64 or is too short.
    #[error("an encrypted value is malformed (not base64 of nonce and ciphertext)")]
    Malformed,
    /// Authentication failed: another key, or the value was altered.
    #[error("an encrypted value could not be decrypted: {KEY_FILE} is not the key it was encrypted with, or the value was altered")]
    WrongKey,
    /// The decrypted bytes are not UTF-8.
    #[error("a decrypted value is not UTF-8 text")]
    NotText,
}

/// The data folder's encryption key.
#[derive(Clone)]
pub struct Vault {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(<redacted>)")
    }
}

fn data_dir_error(data_dir: &Path, message: String) -> LocalError {
    LocalError::DataDir { path: data_dir.to_path_buf(), message }
}

impl Vault {
    /// A vault with the given key.
    pub fn from_key(key: &[u8; KEY_LEN]) -> Vault {
        Vault { cipher: Aes256Gcm::new(key.into()) }
    }

    /// Read `<data_dir>/secret.key`, creating it (mode 0600, 32 random bytes) on first start.
    /// A key file readable or writable by group/others, or not exactly 32 bytes long, is an error.
    pub fn load_or_create(data_dir: &Path) -> Result<Vault, LocalError> {
        let path = data_dir.join(KEY_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let meta = std::fs::metadata(&path)
                        .map_err(|e| LocalError::io(format!("reading {}", path.display()), e))?;
                    let mode = meta.permissions().mode() & 0o777;
                    if mode & 0o077 != 0 {
                        return Err(data_dir_error(
                            data_dir,
                            format!(
                                "{KEY_FILE} has permissions {mode:03o}; it must be readable by its owner only \
                                 (run `chmod 600 {}`)",
                                path.display()
                            ),
                        ));
                    }
                }
                let key: [u8; KEY_LEN] = bytes.as_slice().try_into().map_err(|_| {
                    data_dir_error(
                        data_dir,
                        format!(
                            "{KEY_FILE} must hold exactly {KEY_LEN} bytes, it holds {}; restore the original key file \
                             (stored secrets cannot be read without it)",
                            bytes.len()
                        ),
                    )
                })?;
                Ok(Vault::from_key(&key))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; KEY_LEN];
                rand::rng().fill(&mut key[..]);
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let mut file = options
                    .open(&path)
                    .map_err(|e| LocalError::io(format!("creating {}", path.display()), e))?;
                file.write_all(&key)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| LocalError::io(format!("writing {}", path.display()), e))?;
                Ok(Vault::from_key(&key))
            }
            Err(e) => Err(LocalError::io(format!("reading {}", path.display()), e)),
        }
    }

    /// Encrypt `plain` as `enc:v1:<base64(nonce|ciphertext)>` with a fresh random nonce.
    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill(&mut nonce[..]);
        // Encryption with a valid key and nonce only fails for plaintexts beyond GCM's limit (64 GiB).
        let sealed = self.cipher.encrypt(&Nonce::from(nonce), plain.as_bytes()).unwrap_or_default();
        let mut blob = Vec::with_capacity(NONCE_LEN + sealed.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        format!("{PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(blob))
    }

    /// Decrypt a stored value; values without the `enc:v1:` prefix (plaintext from an older data
    /// folder) are returned unchanged.
    pub fn decrypt(&self, stored: &str) -> Result<String, VaultError> {
        let Some(encoded) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_owned());
        };
        let blob =
            base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|_| VaultError::Malformed)?;
        if blob.len() < NONCE_LEN + 16 {
            return Err(VaultError::Malformed);
        }
        let (nonce, sealed) = blob.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| VaultError::Malformed)?;
        let plain = self.cipher.decrypt(&Nonce::from(nonce), sealed).map_err(|_| VaultError::WrongKey)?;
        String::from_utf8(plain).map_err(|_| VaultError::NotText)
    }

    /// Register `secret_enc(text)` and `secret_dec(text)` on `conn` (NULL stays NULL).
    pub fn install(&self, conn: &Connection) -> rusqlite::Result<()> {
        let enc = self.clone();
        conn.create_scalar_function("secret_enc", 1, FunctionFlags::SQLITE_UTF8, move |ctx| {
            let value: Option<String> = ctx.get(0)?;
            Ok(value.map(|v| if v.starts_with(PREFIX) { v } else { enc.encrypt(&v) }))
        })?;
        let dec = self.clone();
        conn.create_scalar_function(
            "secret_dec",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            move |ctx| {
                let value: Option<String> = ctx.get(0)?;
                value
                    .map(|v| dec.decrypt(&v))
                    .transpose()
                    .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
            },
        )?;
        Ok(())
    }
}

/// Encrypt every plaintext value left in a secret column (data folders of older composio-local
/// versions) and check that the key opens every encrypted one. Returns how many values were
/// encrypted. A value the key cannot open is an error naming the table and column.
pub fn migrate(conn: &mut Connection, vault: &Vault, data_dir: &Path) -> Result<usize, LocalError> {
    let db_err = |source| LocalError::Database { path: data_dir.join(crate::db::DB_FILE), source };
    let tx = conn.transaction().map_err(db_err)?;
    let mut migrated = 0;
    for (table, column) in SECRET_COLUMNS {
        let rows: Vec<(i64, Option<String>)> = {
            let mut stmt = tx.prepare(&format!("SELECT rowid, {column} FROM {table}")).map_err(db_err)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(db_err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db_err)?;
            rows
        };
        for (rowid, value) in rows {
            let Some(value) = value else { continue };
            if value.starts_with(PREFIX) {
                vault.decrypt(&value).map_err(|e| {
                    data_dir_error(
                        data_dir,
                        format!("{table}.{column} (row {rowid}): {e}; restore the original {KEY_FILE}"),
                    )
                })?;
            } else {
                tx.execute(
                    &format!("UPDATE {table} SET {column} = ?1 WHERE rowid = ?2"),
                    params![vault.encrypt(&value), rowid],
                )
                .map_err(db_err)?;
                migrated += 1;
            }
        }
    }
    tx.commit().map_err(db_err)?;
    Ok(migrated)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_fresh_nonces() {
        let v = Vault::from_key(&[7u8; KEY_LEN]);
        let a = v.encrypt("top secret");
        let b = v.encrypt("top secret");
        assert!(a.starts_with(PREFIX));
        assert_ne!(a, b, "every value gets its own nonce");
        assert_eq!(v.decrypt(&a).unwrap(), "top secret");
        assert_eq!(v.decrypt("plain legacy").unwrap(), "plain legacy");
        let other = Vault::from_key(&[8u8; KEY_LEN]);
        assert_eq!(other.decrypt(&a), Err(VaultError::WrongKey));
        assert_eq!(v.decrypt("enc:v1:!!!"), Err(VaultError::Malformed));
    }

    #[test]
    fn sql_functions() {
        let v = Vault::from_key(&[1u8; KEY_LEN]);
        let c = Connection::open_in_memory().unwrap();
        v.install(&c).unwrap();
        let enc: String = c.query_row("SELECT secret_enc('abc')", [], |r| r.get(0)).unwrap();
        assert!(enc.starts_with(PREFIX));
        let dec: String = c.query_row("SELECT secret_dec(?1)", [&enc], |r| r.get(0)).unwrap();
        assert_eq!(dec, "abc");
        let null: Option<String> = c.query_row("SELECT secret_dec(NULL)", [], |r| r.get(0)).unwrap();
        assert_eq!(null, None);
    }
}
