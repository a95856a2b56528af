//! Modifiers as uniffi objects: Swift schema and execute hooks, and the
//! core's declarative modifiers, each with an optional tool/toolkit filter.

use std::sync::Arc;

use async_trait::async_trait;
use composio_core::models::Tool;
use composio_core::modifiers::{DeclarativeModifier, Modifier, ModifierFilter, Modifiers, SchemaModifier};
use composio_core::Result as CoreResult;

use crate::callbacks::{After, Before, FfiExecuteModifier};
use crate::error::{ComposioError, FfiResult};
use crate::json;

/// A schema hook implemented in Swift.
#[uniffi::export(foreign)]
#[async_trait]
pub trait FfiSchemaModifier: Send + Sync {
    /// Rewrites a tool's wire schema (`{slug, description, input_parameters, ...}`).
    async fn modify_schema(
        &self,
        tool: String,
        toolkit: String,
        schema: String,
    ) -> Result<String, ComposioError>;
}

struct Schema(Arc<dyn FfiSchemaModifier>);

#[async_trait]
impl SchemaModifier for Schema {
    async fn modify_schema(&self, tool: &str, toolkit: &str, schema: Tool) -> CoreResult<Tool> {
        let out = self.0.modify_schema(tool.to_string(), toolkit.to_string(), json::encode(&schema)?).await?;
        json::decode("modifySchema's result", &out)
    }
}

/// One modifier (or a before/after pair) with its filter.
#[derive(uniffi::Object)]
pub struct FfiModifier {
    parts: Vec<Modifier>,
}

fn filtered(mut m: Modifier, tools: &[String], toolkits: &[String]) -> Modifier {
    m.filter = ModifierFilter { tools: tools.to_vec(), toolkits: toolkits.to_vec() };
    m
}

fn check_filter(tools: &[String], toolkits: &[String]) -> FfiResult<()> {
    if tools.iter().chain(toolkits).any(|s| s.trim().is_empty()) {
        return Err(composio_core::Error::validation("modifier filters must not contain empty slugs").into());
    }
    Ok(())
}

#[uniffi::export]
impl FfiModifier {
    /// Before/after-execute hooks, for the listed tools/toolkits (both
    /// empty: every tool).
    #[uniffi::constructor]
    pub fn execute(
        hooks: Arc<dyn FfiExecuteModifier>,
        tools: Vec<String>,
        toolkits: Vec<String>,
    ) -> FfiResult<Arc<Self>> {
        check_filter(&tools, &toolkits)?;
        let parts = vec![
            filtered(Modifier::before_execute(Before(hooks.clone())), &tools, &toolkits),
            filtered(Modifier::after_execute(After(hooks)), &tools, &toolkits),
        ];
        Ok(Arc::new(Self { parts }))
    }

    /// A schema hook.
    #[uniffi::constructor]
    pub fn schema(
        hook: Arc<dyn FfiSchemaModifier>,
        tools: Vec<String>,
        toolkits: Vec<String>,
    ) -> FfiResult<Arc<Self>> {
        check_filter(&tools, &toolkits)?;
        Ok(Arc::new(Self { parts: vec![filtered(Modifier::schema(Schema(hook)), &tools, &toolkits)] }))
    }

    /// A declarative modifier given as JSON (`{"type": "hide_parameter",
    /// "name": "..."}`, `rename_parameter`, `set_default`, `fix_value`,
    /// `make_required`, `replace_description`, `append_description`,
    /// `set_parameter_description`, `keep_result_fields`).
    #[uniffi::constructor]
    pub fn declarative(spec: String, tools: Vec<String>, toolkits: Vec<String>) -> FfiResult<Arc<Self>> {
        check_filter(&tools, &toolkits)?;
        let d: DeclarativeModifier = json::decode("declarative modifier", &spec)?;
        Ok(Arc::new(Self { parts: vec![filtered(Modifier::declarative(d), &tools, &toolkits)] }))
    }
}

/// The engine's modifier list, in order.
pub fn modifiers(list: &[Arc<FfiModifier>]) -> Modifiers {
    let mut mods = Modifiers::new();
    for m in list {
        for p in &m.parts {
            mods.push(p.clone());
        }
    }
    mods
}
