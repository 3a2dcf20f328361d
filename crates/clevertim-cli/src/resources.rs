//! The one description of the 13 resources: what the API lets clients do with each, the
//! columns of its table, and its typed flags. Everything else is generic over it.

use std::fmt::Display;

use clevertim::{
    Case, Comment, Company, Contact, CustomField, Fields, File, Folder, Group, LinkedFile, Note,
    Opportunity, Resource, Task, User,
};
use serde_json::Value;

use crate::args::Action;
use crate::flags::{FlagValue as _, KeyArg, PhoneArg, WhenArg};
use crate::names::Names;

/// What the API lets clients do with a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writes {
    /// Create, update and delete.
    All,
    /// Create and delete; an update is refused by the API (HTTP 501).
    NoUpdate,
    /// Nothing: read-only.
    None,
}

/// A column of a resource's table.
pub(crate) struct Column<R> {
    /// The header.
    pub(crate) header: &'static str,
    /// The cell of one object, with the names of the objects it refers to.
    pub(crate) cell: fn(&R, &Names) -> String,
}

/// A resource as the command knows it.
pub(crate) trait CliResource: Resource + Fields {
    /// The subcommand's name, also the export file's stem.
    const NAME: &'static str;
    /// What clients may do.
    const WRITES: Writes;
    /// The resources whose names the table shows beside their keys (one list request each).
    const REFERS: &'static [&'static str];
    /// The columns of `list`'s table, after the key, most important first.
    fn columns() -> Vec<Column<Self>>;
    /// What people call the object: its first column (a name, or a text's first line).
    fn label(&self) -> String {
        Self::columns()
            .first()
            .map(|c| (c.cell)(self, &Names::default()))
            .unwrap_or_default()
    }
}

/// A resource's typed flags, as (SDK field name, JSON value) pairs.
pub(crate) trait TypedFlags: clap::Args {
    /// Each flag (without `--`) and the SDK field it sets.
    const FLAGS: &'static [(&'static str, &'static str)];
    /// The fields the given flags set.
    fn fields(&self) -> Vec<(&'static str, Value)>;
}

/// Something done with one resource's action, with the resource's and its flags' types.
pub(crate) trait Act {
    /// The result.
    type Output;
    /// Does `action` on the resource `R`.
    async fn act<R: CliResource, F: TypedFlags>(self, action: Action<F>) -> Self::Output;
}

/// Something done once per resource, with the resource's type.
pub(crate) trait Visitor {
    /// The result of one visit.
    type Output;
    /// Visits the resource `R`.
    async fn visit<R: CliResource>(&mut self) -> Self::Output;
}

fn text(v: Option<&str>) -> String {
    v.unwrap_or_default().to_owned()
}

fn shown<T: Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn list<T: Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn first_line(v: Option<&str>, max: usize) -> String {
    let line = v.unwrap_or_default().lines().next().unwrap_or_default();
    if line.chars().count() > max {
        format!("{}…", line.chars().take(max - 1).collect::<String>())
    } else {
        line.to_owned()
    }
}

fn names(first: Option<&str>, last: Option<&str>) -> String {
    [first, last]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

macro_rules! resources {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident: $model:ident as $name:literal, writes $writes:ident,
        refers [ $( $refers:literal ),* ]
        columns { $( $header:literal => |$c:ident $(, $n:ident)?| $cell:expr ),* $(,)? }
        flags $flags:ident { $( $(#[doc = $fdoc:literal])* $flag:literal $field:ident: $ty:ty $([$($extra:tt)*])? => $target:literal ),* $(,)? }
    )*) => {
        $(
            #[doc = concat!("The typed flags of `clevertim ", $name, " create|update`.")]
            #[derive(Debug, Clone, Default, clap::Args)]
            pub(crate) struct $flags {
                $( $(#[doc = $fdoc])* #[arg(long = $flag, help_heading = "Fields" $(, $($extra)*)?)] pub(crate) $field: $ty, )*
            }

            impl TypedFlags for $flags {
                const FLAGS: &'static [(&'static str, &'static str)] = &[ $( ($flag, $target) ),* ];
                fn fields(&self) -> Vec<(&'static str, Value)> {
                    #[allow(unused_mut)]
                    let mut out = Vec::new();
                    $( if let Some(v) = self.$field.to_json() { out.push(($target, v)); } )*
                    out
                }
            }

            impl CliResource for $model {
                const NAME: &'static str = $name;
                const WRITES: Writes = Writes::$writes;
                const REFERS: &'static [&'static str] = &[ $( $refers ),* ];
                fn columns() -> Vec<Column<Self>> {
                    vec![ $( Column {
                        header: $header,
                        cell: |$c: &$model, _names: &Names| { $( let $n = _names; )? $cell },
                    }, )* ]
                }
            }
        )*

        /// One subcommand per resource.
        #[derive(Debug, clap::Subcommand)]
        pub(crate) enum ResourceCommand {
            $(
                $(#[doc = $doc])*
                #[command(name = $name)]
                $variant {
                    #[command(subcommand)]
                    action: Action<$flags>,
                },
            )*
        }

        impl ResourceCommand {
            /// Hands the action to `act`, with the resource's types.
            pub(crate) async fn accept<A: Act>(self, act: A) -> A::Output {
                match self {
                    $( ResourceCommand::$variant { action } => act.act::<$model, $flags>(action).await, )*
                }
            }
        }

        /// The names of every resource, in the table's order.
        pub(crate) const NAMES: &[&str] = &[$($name),*];

        /// Visits the resource called `name`; `None` for a name that is none.
        pub(crate) async fn visit<V: Visitor>(name: &str, visitor: &mut V) -> Option<V::Output> {
            match name {
                $( $name => Some(visitor.visit::<$model>().await), )*
                _ => None,
            }
        }
    };
}

resources! {
    /// People.
    Contact: Contact as "contact", writes All,
    refers ["company"]
    columns {
        "NAME" => |c| names(c.first_name(), c.last_name()),
        "TITLE" => |c| text(c.title()),
        "COMPANY" => |c, n| n.one("company", c.company()),
        "EMAIL" => |c| list(c.emails()),
        "PHONE" => |c| list(&c.phone_numbers().iter().map(|p| format!("{} {}", shown(p.kind()), text(p.number()))).collect::<Vec<_>>()),
        "TAGS" => |c| list(c.tags()),
    }
    flags ContactFlags {
        /// First name.
        "first-name" first_name: Option<String> => "first_name",
        /// Last name.
        "last-name" last_name: Option<String> => "last_name",
        /// Job title.
        "title" title: Option<String> => "title",
        /// The key of the company the person works for.
        "company" company: Option<KeyArg> => "company",
        /// Free text.
        "description" description: Option<String> => "description",
        /// An email address (repeatable; replaces the list).
        "email" email: Vec<String> => "emails",
        /// A phone number as TYPE:NUMBER, e.g. Mobile:+44 7700 900123 (repeatable; replaces the list).
        "phone" phone: Vec<PhoneArg> => "phone_numbers",
        /// A web site (repeatable; replaces the list).
        "website" website: Vec<String> => "websites",
        /// A tag (repeatable; replaces the list).
        "tag" tag: Vec<String> => "tags",
        /// A tag to add to those it has (repeatable).
        "add-tag" add_tag: Vec<String> => "+tags",
        /// An email address to add to those it has (repeatable).
        "add-email" add_email: Vec<String> => "+emails",
        /// City.
        "city" city: Option<String> => "city",
        /// Country code, e.g. GB.
        "country" country: Option<String> => "country",
        /// Customer type code: C customer, P prospect, L lead, S supplier, … (see the API reference).
        "customer-type" customer_type: Option<String> => "customer_type",
    }

    /// Companies.
    Company: Company as "company", writes All,
    refers []
    columns {
        "NAME" => |c| text(c.name()),
        "CITY" => |c| text(c.city()),
        "COUNTRY" => |c| text(c.country()),
        "EMAIL" => |c| list(c.emails()),
        "TAGS" => |c| list(c.tags()),
    }
    flags CompanyFlags {
        /// The company's name.
        "name" name: Option<String> => "name",
        /// Free text.
        "description" description: Option<String> => "description",
        /// An email address (repeatable; replaces the list).
        "email" email: Vec<String> => "emails",
        /// A phone number as TYPE:NUMBER, e.g. Work:+44 20 7946 0001 (repeatable; replaces the list).
        "phone" phone: Vec<PhoneArg> => "phone_numbers",
        /// A web site (repeatable; replaces the list).
        "website" website: Vec<String> => "websites",
        /// A tag (repeatable; replaces the list).
        "tag" tag: Vec<String> => "tags",
        /// A tag to add to those it has (repeatable).
        "add-tag" add_tag: Vec<String> => "+tags",
        /// An email address to add to those it has (repeatable).
        "add-email" add_email: Vec<String> => "+emails",
        /// City.
        "city" city: Option<String> => "city",
        /// Country code, e.g. US.
        "country" country: Option<String> => "country",
        /// Customer type code: C customer, P prospect, L lead, S supplier, … (see the API reference).
        "customer-type" customer_type: Option<String> => "customer_type",
    }

    /// Support cases.
    Case: Case as "case", writes All,
    refers ["contact", "company", "user"]
    columns {
        "NAME" => |c| text(c.name()),
        "CUSTOMER" => |c, n| n.customer(c.who()),
        "LEAD" => |c, n| n.one("user", c.lead_user()),
        "TAGS" => |c| list(c.tags()),
    }
    flags CaseFlags {
        /// The case's name.
        "name" name: Option<String> => "name",
        /// Free text.
        "description" description: Option<String> => "description",
        /// The key of its customer (a contact or a company).
        "customer" customer: Option<KeyArg> => "who",
        /// The key of the user leading it.
        "lead-user" lead_user: Option<KeyArg> => "lead_user",
        /// A tag (repeatable; replaces the list).
        "tag" tag: Vec<String> => "tags",
        /// A tag to add to those it has (repeatable).
        "add-tag" add_tag: Vec<String> => "+tags",
    }

    /// Sales deals.
    Opportunity: Opportunity as "opportunity", writes All,
    refers ["contact", "company"]
    columns {
        "NAME" => |c| text(c.name()),
        "STATUS" => |c| text(c.status()),
        "VALUE" => |c| text(c.value()),
        "CURRENCY" => |c| text(c.currency()),
        "CUSTOMER" => |c, n| n.customer(c.who()),
    }
    flags OpportunityFlags {
        /// The deal's name.
        "name" name: Option<String> => "name",
        /// Free text.
        "description" description: Option<String> => "description",
        /// The pipeline state: Open, Closed, Won, Lost or one of the account's own.
        "status" status: Option<String> => "status",
        /// The amount, a decimal number, e.g. 1000.50.
        "value" value: Option<String> => "value",
        /// The currency code, e.g. EUR.
        "currency" currency: Option<String> => "currency",
        /// The key of its customer (a contact or a company).
        "customer" customer: Option<KeyArg> => "who",
        /// The key of the user leading it.
        "lead-user" lead_user: Option<KeyArg> => "lead_user",
        /// A tag (repeatable; replaces the list).
        "tag" tag: Vec<String> => "tags",
        /// A tag to add to those it has (repeatable).
        "add-tag" add_tag: Vec<String> => "+tags",
    }

    /// Tasks.
    Task: Task as "task", writes All,
    refers ["contact", "company"]
    columns {
        "NAME" => |c| text(c.name()),
        "TYPE" => |c| shown(c.task_type()),
        "DUE" => |c| [c.start_date().map(|d| d.to_string()), c.start_time().map(|t| t.to_string())].into_iter().flatten().collect::<Vec<_>>().join(" "),
        "CUSTOMER" => |c, n| n.customer(c.who()),
        "DONE" => |c| if c.is_completed() == Some(true) { "yes".into() } else { String::new() },
    }
    flags TaskFlags {
        /// The headline.
        "name" name: Option<String> => "name",
        /// The kind: Appointment, Email, Meeting, Call, Follow up, TO DO, Not set.
        "type" task_type: Option<String> => "task_type",
        /// Where.
        "location" location: Option<String> => "location",
        /// The key of its customer (a contact or a company).
        "customer" customer: Option<KeyArg> => "who",
        /// The key of the case it belongs to.
        "case" case: Option<KeyArg> => "case",
        /// The key of the opportunity it belongs to.
        "opportunity" opportunity: Option<KeyArg> => "opportunity",
        /// When it starts (is due): 2026-12-01 or 2026-12-01T09:30.
        "due" due: Option<WhenArg> => "start",
        /// When it ends: 2026-12-01 or 2026-12-01T10:00.
        "end" end: Option<WhenArg> => "end",
        /// The key of the user it is assigned to.
        "assigned-to" assigned_to: Option<KeyArg> => "assigned_to",
        /// Whether it is done: `--completed` alone, or `--completed false` to reopen it.
        "completed" completed: Option<bool> [num_args = 0..=1, default_missing_value = "true", require_equals = false] => "is_completed",
    }

    /// Notes: calls, emails, SMS, meetings.
    Note: Note as "note", writes All,
    refers ["contact", "company", "case", "opportunity"]
    columns {
        "TEXT" => |c| first_line(c.description(), 50),
        "CUSTOMERS" => |c, n| n.customers(c.who()),
        "CASE" => |c, n| n.one("case", c.case()),
        "OPPORTUNITY" => |c, n| n.one("opportunity", c.opportunity()),
    }
    flags NoteFlags {
        /// The text.
        "text" text: Option<String> => "description",
        /// The kind: N plain note, S email note, M SMS note.
        "type" note_type: Option<String> => "note_type",
        /// The key of a customer it concerns (repeatable; replaces the list).
        "customer" customer: Vec<KeyArg> => "customers",
        /// The key of the case it belongs to.
        "case" case: Option<KeyArg> => "case",
        /// The key of the opportunity it belongs to.
        "opportunity" opportunity: Option<KeyArg> => "opportunity",
    }

    /// Comments on notes and tasks (cannot be updated: delete and create again).
    Comment: Comment as "comment", writes NoUpdate,
    refers []
    columns {
        "TEXT" => |c| first_line(c.comment(), 60),
        "NOTE" => |c| shown(c.note()),
        "TASK" => |c| shown(c.task()),
    }
    flags CommentFlags {
        /// The text.
        "text" text: Option<String> => "comment",
        /// The key of the note it is on.
        "note" note: Option<KeyArg> => "note",
        /// The key of the task it is on.
        "task" task: Option<KeyArg> => "task",
    }

    /// Custom field definitions.
    CustomField: CustomField as "customfield", writes All,
    refers []
    columns {
        "NAME" => |c| text(c.name()),
        "TYPE" => |c| shown(c.elem_type()),
        "APPLIES TO" => |c| list(c.scopes()),
        "MULTIPLE" => |c| if c.multiple() == Some(true) { "yes".into() } else { String::new() },
        "VALUES" => |c| list(c.values()),
    }
    flags CustomFieldFlags {
        /// The name shown to users.
        "name" name: Option<String> => "name",
        /// The kind of input: input, select, date, user, country, state, region, contact,
        /// company, case, opportunity, currency.
        "type" elem_type: Option<String> => "elem_type",
        /// Where it applies: customers, companies, cases, opportunities (repeatable).
        "applies-to" applies_to: Vec<String> => "scopes",
        /// Whether it holds a list of values (true or false).
        "multiple" multiple: Option<bool> => "multiple",
        /// An allowed value of a select (repeatable; replaces the list).
        "choice" choice: Vec<String> => "values",
    }

    /// Users of the account (read-only).
    User: User as "user", writes None,
    refers []
    columns {
        "NAME" => |c| text(c.name()),
        "EMAIL" => |c| text(c.email()),
        "ADMIN" => |c| if c.is_admin() == Some(true) { "yes".into() } else { String::new() },
        "PERMISSIONS" => |c| list(c.permissions()),
    }
    flags UserFlags {}

    /// Groups of users (read-only).
    Group: Group as "group", writes None,
    refers []
    columns {
        "NAME" => |c| text(c.name()),
        "BIT" => |c| shown(c.bit()),
        "USERS" => |c| list(c.users()),
    }
    flags GroupFlags {}

    /// Folders (their keys are strings, e.g. f1).
    Folder: Folder as "folder", writes All,
    refers ["folder"]
    columns {
        "NAME" => |c| text(c.name()),
        "PARENT" => |c, n| n.one("folder", c.parent_key()),
    }
    flags FolderFlags {
        /// The folder's name.
        "name" name: Option<String> => "name",
        /// The key of the parent folder.
        "parent" parent: Option<KeyArg> => "parent_key",
    }

    /// Files in folders.
    File: File as "file", writes All,
    refers ["folder"]
    columns {
        "NAME" => |c| text(c.name()),
        "FOLDER" => |c, n| n.one("folder", c.parent_key()),
    }
    flags FileFlags {
        /// The file's name.
        "name" name: Option<String> => "name",
        /// The key of the folder it is in.
        "folder" folder: Option<KeyArg> => "parent_key",
    }

    /// Files kept in an external store (Dropbox, Google Drive).
    LinkedFile: LinkedFile as "linkedfile", writes All,
    refers []
    columns {
        "NAME" => |c| text(c.name()),
        "STORE" => |c| shown(c.store()),
        "SIZE" => |c| shown(c.size()),
    }
    flags LinkedFileFlags {
        /// The file's name.
        "name" name: Option<String> => "name",
    }
}
