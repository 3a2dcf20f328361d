//! One test per cassette of the library: its file and its scenario.

use super::scenarios::*;
use super::*;

/// One test per cassette, and the list of all of them.
macro_rules! library {
    ($($test:ident: $file:literal => $scenario:expr;)*) => {
        $(
            #[tokio::test]
            async fn $test() {
                run($file, $scenario).await;
            }
        )*

        /// Every cassette of the library, relative to `fixtures/`.
        pub(super) const CASSETTES: &[&str] = &[$($file),*];
    };
}

library! {
    seed_walkthrough_cassette: "seed_walkthrough.json" => |c| Box::pin(seed_walkthrough(c));

    contact_list: "contact/list.json" => |c| Box::pin(list::<Contact>(c));
    contact_get: "contact/get.json" => |c| Box::pin(get::<Contact>(c, Key::new(3)));
    contact_create: "contact/create.json" => |c| Box::pin(create(c, new_contact()));
    contact_update: "contact/update.json" => |c| Box::pin(update::<Contact>(
        c, Key::new(3), |o| { o.set_title("CEO"); }, |o| o.title() == Some("CEO")));
    contact_delete: "contact/delete.json" => |c| Box::pin(delete::<Contact>(c, Key::new(4)));

    company_list: "company/list.json" => |c| Box::pin(list::<Company>(c));
    company_get: "company/get.json" => |c| Box::pin(get::<Company>(c, Key::new(1)));
    company_create: "company/create.json" => |c| Box::pin(create(c, new_company()));
    company_update: "company/update.json" => |c| Box::pin(update::<Company>(
        c, Key::new(1), |o| { o.tags_mut().push("vip".into()); },
        |o| o.tags().iter().any(|t| t == "vip")));
    company_delete: "company/delete.json" => |c| Box::pin(delete::<Company>(c, Key::new(2)));

    case_list: "case/list.json" => |c| Box::pin(list::<Case>(c));
    case_get: "case/get.json" => |c| Box::pin(get::<Case>(c, Key::new(1)));
    case_create: "case/create.json" => |c| Box::pin(create(c, new_case()));
    case_update: "case/update.json" => |c| Box::pin(update::<Case>(
        c, Key::new(1), |o| { o.set_description("Still burning"); },
        |o| o.description() == Some("Still burning")));
    case_delete: "case/delete.json" => |c| Box::pin(delete::<Case>(c, Key::new(1)));

    opportunity_list: "opportunity/list.json" => |c| Box::pin(list::<Opportunity>(c));
    opportunity_get: "opportunity/get.json" => |c| Box::pin(get::<Opportunity>(c, Key::new(1)));
    opportunity_create: "opportunity/create.json" => |c| Box::pin(create(c, new_opportunity()));
    opportunity_update: "opportunity/update.json" => |c| Box::pin(update::<Opportunity>(
        c, Key::new(1), |o| { o.set_status("Won"); }, |o| o.status() == Some("Won")));
    opportunity_delete: "opportunity/delete.json" => |c| Box::pin(delete::<Opportunity>(c, Key::new(1)));

    task_list: "task/list.json" => |c| Box::pin(list::<Task>(c));
    task_get: "task/get.json" => |c| Box::pin(get::<Task>(c, Key::new(1)));
    task_create: "task/create.json" => |c| Box::pin(create(c, new_task()));
    task_update: "task/update.json" => |c| Box::pin(update::<Task>(
        c, Key::new(1), |o| { o.set_is_completed(true); }, |o| o.is_completed() == Some(true)));
    task_delete: "task/delete.json" => |c| Box::pin(delete::<Task>(c, Key::new(2)));

    note_list: "note/list.json" => |c| Box::pin(list::<Note>(c));
    note_get: "note/get.json" => |c| Box::pin(get::<Note>(c, Key::new(1)));
    note_create: "note/create.json" => |c| Box::pin(create(c, new_note()));
    note_update: "note/update.json" => |c| Box::pin(update::<Note>(
        c, Key::new(3), |o| { o.set_description("Met twice"); },
        |o| o.description() == Some("Met twice")));
    note_delete: "note/delete.json" => |c| Box::pin(delete::<Note>(c, Key::new(3)));

    comment_list: "comment/list.json" => |c| Box::pin(list::<Comment>(c));
    comment_get: "comment/get.json" => |c| Box::pin(get::<Comment>(c, Key::new(1)));
    comment_create: "comment/create.json" => |c| Box::pin(create(c, new_comment()));
    comment_delete: "comment/delete.json" => |c| Box::pin(delete::<Comment>(c, Key::new(2)));

    customfield_list: "customfield/list.json" => |c| Box::pin(list::<CustomField>(c));
    customfield_get: "customfield/get.json" => |c| Box::pin(get::<CustomField>(c, Key::new(26)));
    customfield_create: "customfield/create.json" => |c| Box::pin(create(c, new_custom_field()));
    customfield_update: "customfield/update.json" => |c| Box::pin(update::<CustomField>(
        c, Key::new(26), |o| { o.set_name("Level"); }, |o| o.name() == Some("Level")));
    customfield_delete: "customfield/delete.json" => |c| Box::pin(delete::<CustomField>(c, Key::new(25)));

    user_list: "user/list.json" => |c| Box::pin(list::<User>(c));
    user_get: "user/get.json" => |c| Box::pin(get::<User>(c, Key::new(2)));

    group_list: "group/list.json" => |c| Box::pin(list::<Group>(c));
    group_get: "group/get.json" => |c| Box::pin(get::<Group>(c, Key::new(2)));

    folder_list: "folder/list.json" => |c| Box::pin(list::<Folder>(c));
    folder_get: "folder/get.json" => |c| Box::pin(get::<Folder>(c, Key::new("f1")));
    folder_create: "folder/create.json" => |c| Box::pin(create(c, new_folder()));
    folder_update: "folder/update.json" => |c| Box::pin(update::<Folder>(
        c, Key::new("f1"), |o| { o.set_name("Signed"); }, |o| o.name() == Some("Signed")));
    folder_delete: "folder/delete.json" => |c| Box::pin(delete::<Folder>(c, Key::new("f1")));

    file_list: "file/list.json" => |c| Box::pin(list::<File>(c));
    file_get: "file/get.json" => |c| Box::pin(get::<File>(c, Key::new(1)));
    file_create: "file/create.json" => |c| Box::pin(create(c, new_file()));
    file_update: "file/update.json" => |c| Box::pin(update::<File>(
        c, Key::new(1), |o| { o.set_name("contract-1.pdf"); },
        |o| o.name() == Some("contract-1.pdf")));
    file_delete: "file/delete.json" => |c| Box::pin(delete::<File>(c, Key::new(1)));

    linkedfile_list: "linkedfile/list.json" => |c| Box::pin(list::<LinkedFile>(c));
    linkedfile_get: "linkedfile/get.json" => |c| Box::pin(get::<LinkedFile>(c, Key::new(1)));
    linkedfile_create: "linkedfile/create.json" => |c| Box::pin(create(c, new_linked_file()));
    linkedfile_update: "linkedfile/update.json" => |c| Box::pin(update::<LinkedFile>(
        c, Key::new(1), |o| { o.set_name("Widget spec v2.docx"); },
        |o| o.name() == Some("Widget spec v2.docx")));
    linkedfile_delete: "linkedfile/delete.json" => |c| Box::pin(delete::<LinkedFile>(c, Key::new(1)));

    error_400_unknown_lead_user: "errors/400_case_unknown_lead_user.json" => |c| Box::pin(error_400(c));
    error_401_bad_key: "errors/401_bad_key.json" => |c| Box::pin(error_401(c));
    error_403_read_only_write: "errors/403_read_only_key_writes.json" => |c| Box::pin(error_403(c));
    error_404_missing_contact: "errors/404_missing_contact.json" => |c| Box::pin(error_404(c));
    error_500_body_not_json: "errors/500_body_not_json.json" => |c| Box::pin(error_500(c));
    error_501_comment_update: "errors/501_comment_update.json" => |c| Box::pin(error_501(c));
}
