//! Triggers: the trigger types of the built-in toolkits ([`types`]), the stored trigger
//! instances ([`instances`]), and the events real changes produce ([`fire`]).

pub mod fire;
pub mod instances;
pub mod types;
