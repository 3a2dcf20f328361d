//! The per-type parts of each resource: a valid new object, a change, and the getters beyond
//! plain fields.

use clevertim_core::{
    Case, Comment, Company, Contact, CustomField, CustomFieldValues, File, Folder, Group, Id, Key,
    LinkedFile, Note, Opportunity, Resource, Scope, Task, User,
};

/// The per-type parts: a valid new object, a change, and the getters beyond plain fields.
pub(crate) trait FuzzResource: Resource + PartialEq {
    fn fresh(with_custom_field: bool) -> Self;
    fn keyed(id: Id) -> Self;
    fn change(&mut self);
    fn touch(&self) {}
}

macro_rules! fuzz_resource {
    ($name:ident, |$new:ident, $cf:ident| $fresh:expr, |$this:ident| $touch:expr) => {
        impl FuzzResource for $name {
            fn fresh($cf: bool) -> Self {
                let mut $new = $name::new();
                let _ = $cf;
                $fresh;
                $new
            }
            fn keyed(id: Id) -> Self {
                $name::with_key(Key::new(id))
            }
            fn change(&mut self) {
                let _ = self.set_extra("x_fuzz", serde_json::json!(1));
            }
            fn touch(&self) {
                let $this = self;
                let _ = $this.extra();
                let _ = $this.has_changes();
                let _ = ($this.added_on(), $this.last_modified(), $this.key());
                $touch;
            }
        }
    };
}

pub(crate) fn touch_customer_values(values: Option<&CustomFieldValues>, scope: Scope) {
    if let Some(values) = values {
        for (key, value) in values.iter() {
            let _ = (values.get(&key), value.to_string());
        }
        let _ = values.check_against("fuzz", &scope, &[], None);
    }
}

macro_rules! touch_customer {
    ($c:ident, $scope:expr) => {{
        let _ = $c.visibility();
        let _ = $c.contact_photo("https://fuzz.invalid/api/");
        for phone in $c.phone_numbers() {
            let _ = (
                phone.number(),
                phone.kind().map(|k| (k.is_known(), k.to_string())),
            );
        }
        for id in $c.social_media_ids() {
            let _ = (id.id(), id.venue().map(|v| (v.is_known(), v.to_string())));
        }
        let _ = $c.customer_type().map(|t| (t.is_known(), t.to_string()));
        touch_customer_values($c.custom_field_values(), $scope);
    }};
}

fuzz_resource!(
    Contact,
    |c, cf| {
        c.set_first_name("F");
        if cf {
            c.set_custom_field(1, "X");
        }
    },
    |c| {
        touch_customer!(c, Scope::Customers);
        let _ = clevertim_core::Customer::Contact(c.clone()).display_name();
    }
);
fuzz_resource!(
    Company,
    |c, cf| {
        c.set_name("C");
        if cf {
            c.set_custom_field(2, vec!["a", "b"]);
        }
    },
    |c| {
        touch_customer!(c, Scope::Companies);
        let _ = clevertim_core::Customer::Company(c.clone()).display_name();
    }
);
fuzz_resource!(
    Case,
    |c, cf| {
        c.set_name("C");
        if cf {
            c.set_custom_field(3, "2024-02-29");
        }
    },
    |c| {
        let _ = c.visibility();
        touch_customer_values(c.custom_field_values(), Scope::Cases);
    }
);
fuzz_resource!(
    Opportunity,
    |o, cf| {
        o.set_name("O").set_value("10.5");
        if cf {
            o.set_custom_field(4, "17");
        }
    },
    |o| {
        let _ = o.visibility();
        touch_customer_values(o.custom_field_values(), Scope::Opportunities);
    }
);
fuzz_resource!(
    Task,
    |t, _cf| {
        t.set_name("T");
    },
    |t| {
        let _ = t.visibility();
        let _ = (t.start_date(), t.start_time(), t.end_date(), t.end_time());
        for d in [t.start_date(), t.end_date()].into_iter().flatten() {
            let _ = (d.is_valid(), d.to_string());
        }
        for time in [t.start_time(), t.end_time()].into_iter().flatten() {
            let _ = time.to_string();
        }
        let _ = t
            .recurrence_options()
            .map(|r| (r.skips_weekends(), r.kind()));
        let _ = t.task_type().map(|k| k.to_string());
    }
);
fuzz_resource!(
    Note,
    |n, _cf| {
        n.set_description("D");
    },
    |n| {
        let _ = n.visibility();
        let _ = n.who();
        let _ = n.note_type().map(|t| t.is_settable());
        if let Some(email) = n.email_info() {
            for r in email.to().iter().chain(email.cc()).chain(email.bcc()) {
                let _ = (r.address(), r.status(), r.bounce_reason());
            }
            let _ = (email.from(), email.subject());
        }
    }
);
fuzz_resource!(
    Comment,
    |c, _cf| {
        c.set_comment("c").set_note(1);
    },
    |c| {
        let _ = (c.note(), c.task(), c.created_by());
    }
);
fuzz_resource!(
    CustomField,
    |f, _cf| {
        f.set_name("N")
            .set_elem_type(clevertim_core::ElemType::Input)
            .set_scopes(vec![Scope::Customers]);
    },
    |f| {
        let _ = f.elem_type().map(|e| (e.is_known(), e.to_string()));
    }
);
fuzz_resource!(User, |_u, _cf| {}, |u| {
    let _ = (u.name(), u.permissions());
});
fuzz_resource!(Group, |_g, _cf| {}, |g| {
    let _ = (g.bit(), g.users());
});
fuzz_resource!(
    Folder,
    |f, _cf| {
        f.set_name("F");
    },
    |f| {
        let _ = f.visibility();
    }
);
fuzz_resource!(
    File,
    |f, _cf| {
        f.set_name("F");
    },
    |f| {
        let _ = f.visibility();
    }
);
fuzz_resource!(
    LinkedFile,
    |f, _cf| {
        f.set_name("F");
    },
    |f| {
        let _ = (f.visibility(), f.store().map(|s| s.to_string()));
    }
);
