// `Customer` is a contact or a company, not a resource of its own.
use clevertim::{Customer, Task};

async fn who(session: &clevertim::Session, task: &Task) -> clevertim::Result<Customer> {
    session.load(task.who().expect("a customer")).await
}

fn main() {
    drop(who);
}
