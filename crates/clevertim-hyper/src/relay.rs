//! Polling the two halves of an HTTP/1.1 exchange without waking the task for what they tell
//! each other.
//!
//! A request's future and the connection's state machine run in the same task and wake each
//! other all the time: the request handed over wakes the state machine, the answer's head and
//! each piece of its body wake the request. Each such wake-up, given to the runtime, costs a
//! trip through its scheduler (one more poll of the whole request, and on tokio an extra
//! `epoll_wait` before it). A [`Relay`] keeps those at home: while it polls, a wake-up only
//! says "poll again", and it polls again at once; a wake-up that comes while it does not poll
//! (the socket became readable) goes to the task as usual.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::task::{Context, Poll, Wake, Waker};

use futures_util::task::AtomicWaker;

/// How many times in a row one poll of the task may poll again. A future that keeps waking
/// itself (tokio's budget, spent, does) is then handed back to the runtime, which runs the
/// other tasks first.
const MAX_ROUNDS: usize = 16;

/// The waker of a connection's futures, shared by the requests that use it.
pub(crate) struct Relay {
    state: Arc<State>,
    /// `state` as a waker, built once.
    waker: Waker,
}

struct State {
    /// A poll is under way: wake-ups are noted, not passed on.
    polling: AtomicBool,
    /// A wake-up came since the last round began.
    woken: AtomicBool,
    /// The task that polled last, to wake when the relay is not polling. Lock-free: the
    /// waker runs on the thread of tokio's I/O driver while the task it wakes may already be
    /// taking its next turn (with a lock, the two threads met on it at every answer).
    task: AtomicWaker,
}

impl Wake for State {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, SeqCst);
        if !self.polling.load(SeqCst) {
            self.task.wake();
        }
    }
}

impl Relay {
    pub(crate) fn new() -> Relay {
        let state = Arc::new(State {
            polling: AtomicBool::new(false),
            woken: AtomicBool::new(false),
            task: AtomicWaker::new(),
        });
        let waker = Waker::from(Arc::clone(&state));
        Relay { state, waker }
    }

    /// Forgets the task that polled last, once its exchange is over: an idle connection has
    /// no task to wake (the check before its next use polls it), and a waker kept would keep
    /// that task's memory alive and wake it for nothing when the server closes the connection.
    pub(crate) fn release(&self) {
        drop(self.state.task.take());
    }

    /// Polls `round` for the task of `cx`, again as long as it is woken while it runs.
    pub(crate) fn poll<T>(
        &self,
        cx: &mut Context<'_>,
        mut round: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        self.state.task.register(cx.waker());
        let mut inner = Context::from_waker(&self.waker);
        for _ in 0..MAX_ROUNDS {
            // Cleared before `polling` is set: a wake-up in between reaches the task and is
            // also seen below (one spare poll later, never a lost one).
            self.state.woken.store(false, SeqCst);
            self.state.polling.store(true, SeqCst);
            let polled = round(&mut inner);
            self.state.polling.store(false, SeqCst);
            if polled.is_ready() {
                return polled;
            }
            if !self.state.woken.swap(false, SeqCst) {
                return Poll::Pending;
            }
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use std::future::{Future as _, poll_fn};
    use std::sync::atomic::AtomicUsize;

    use super::*;

    /// Counts its wake-ups.
    struct Counter(AtomicUsize);

    impl Wake for Counter {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, SeqCst);
        }
    }

    fn counting() -> (Arc<Counter>, Waker) {
        let counter = Arc::new(Counter(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&counter));
        (counter, waker)
    }

    #[test]
    fn a_wake_up_while_polling_polls_again_without_waking_the_task() {
        let relay = Relay::new();
        let (task, waker) = counting();
        let mut cx = Context::from_waker(&waker);
        let mut rounds = 0;
        let polled = relay.poll(&mut cx, |cx| {
            rounds += 1;
            if rounds < 3 {
                cx.waker().wake_by_ref();
                Poll::Pending
            } else {
                Poll::Ready(rounds)
            }
        });
        assert_eq!(polled, Poll::Ready(3));
        assert_eq!(task.0.load(SeqCst), 0);
    }

    /// Polls a round that keeps its waker and stays pending, for the task of `waker`; gives
    /// back the waker the round was given.
    fn pending_round(relay: &Relay, waker: &Waker) -> Waker {
        let mut cx = Context::from_waker(waker);
        let mut kept = None;
        let polled: Poll<()> = relay.poll(&mut cx, |cx| {
            kept = Some(cx.waker().clone());
            Poll::Pending
        });
        assert!(polled.is_pending());
        kept.expect("the round ran")
    }

    #[test]
    fn a_wake_up_after_the_poll_reaches_the_task() {
        let relay = Relay::new();
        let (task, waker) = counting();
        let kept = pending_round(&relay, &waker);
        assert_eq!(task.0.load(SeqCst), 0);
        kept.wake();
        assert_eq!(task.0.load(SeqCst), 1);
    }

    #[test]
    fn a_round_that_always_wakes_itself_is_handed_back_to_the_task() {
        let relay = Relay::new();
        let (task, waker) = counting();
        let mut cx = Context::from_waker(&waker);
        let mut rounds = 0;
        let polled: Poll<()> = relay.poll(&mut cx, |cx| {
            rounds += 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        });
        assert!(polled.is_pending());
        assert_eq!(rounds, MAX_ROUNDS);
        assert_eq!(task.0.load(SeqCst), 1);
    }

    #[test]
    fn a_released_relay_wakes_no_task() {
        let relay = Relay::new();
        let (task, waker) = counting();
        let kept = pending_round(&relay, &waker);
        relay.release();
        kept.wake();
        assert_eq!(task.0.load(SeqCst), 0);
    }

    #[tokio::test]
    async fn a_future_woken_from_another_thread_completes() {
        let relay = Relay::new();
        let (tx, mut rx) = tokio::sync::oneshot::channel();
        let sender = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            tx.send(7)
        });
        let got = poll_fn(|cx| relay.poll(cx, |cx| std::pin::Pin::new(&mut rx).poll(cx))).await;
        assert_eq!(got.ok(), Some(7));
        assert!(sender.join().is_ok_and(|sent| sent.is_ok()));
    }
}
