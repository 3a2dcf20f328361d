// A task's customer key names a contact or a company: it is not a contact's key.
use clevertim::{Contact, Task};

async fn person(session: &clevertim::Session, task: &Task) -> clevertim::Result<Contact> {
    session.load::<Contact>(task.who().expect("a customer")).await
}

fn main() {
    drop(person);
}
