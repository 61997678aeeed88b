//! [`OutlookCategory`]: an entry of the mailbox's master category list.

open_enum! {
    /// A category colour: `none` or one of the 25 presets (their rendered colours are fixed by Outlook:
    /// preset0 red, preset1 orange, preset2 brown, preset3 yellow, preset4 green, preset5 teal, preset6
    /// olive, preset7 blue, preset8 purple, preset9 cranberry, preset10 steel, preset11 dark steel,
    /// preset12 gray, preset13 dark gray, preset14 black, preset15 dark red, preset16 dark orange,
    /// preset17 dark brown, preset18 dark yellow, preset19 dark green, preset20 dark teal, preset21 dark
    /// olive, preset22 dark blue, preset23 dark purple, preset24 dark cranberry).
    pub enum CategoryColor {
        /// No colour.
        None = "none",
        /// Red.
        Preset0 = "preset0",
        /// Orange.
        Preset1 = "preset1",
        /// Brown.
        Preset2 = "preset2",
        /// Yellow.
        Preset3 = "preset3",
        /// Green.
        Preset4 = "preset4",
        /// Teal.
        Preset5 = "preset5",
        /// Olive.
        Preset6 = "preset6",
        /// Blue.
        Preset7 = "preset7",
        /// Purple.
        Preset8 = "preset8",
        /// Cranberry.
        Preset9 = "preset9",
        /// Steel.
        Preset10 = "preset10",
        /// Dark steel.
        Preset11 = "preset11",
        /// Gray.
        Preset12 = "preset12",
        /// Dark gray.
        Preset13 = "preset13",
        /// Black.
        Preset14 = "preset14",
        /// Dark red.
        Preset15 = "preset15",
        /// Dark orange.
        Preset16 = "preset16",
        /// Dark brown.
        Preset17 = "preset17",
        /// Dark yellow.
        Preset18 = "preset18",
        /// Dark green.
        Preset19 = "preset19",
        /// Dark teal.
        Preset20 = "preset20",
        /// Dark olive.
        Preset21 = "preset21",
        /// Dark blue.
        Preset22 = "preset22",
        /// Dark purple.
        Preset23 = "preset23",
        /// Dark cranberry.
        Preset24 = "preset24",
    }
}

graph_object! {
    entity
    /// A master category ([outlookCategory resource](https://learn.microsoft.com/graph/api/resources/outlookcategory)).
    /// Items refer to it by `display_name`, which is unique and cannot change after creation; only the
    /// colour can be updated.
    pub struct OutlookCategory {
        /// The name items carry in `categories`.
        display_name: String,
        /// The colour.
        color: CategoryColor,
    }
}
