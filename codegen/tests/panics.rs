//! A panic inside progenitor is caught, named by operation, and kept from
//! the process's panic hook. In a test binary of its own: it installs a
//! panic hook, which would see the panics other tests' generator runs
//! catch, depending on which test installed its hook first.

use std::panic;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use codegen::settings::Settings;
use codegen::Error;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// Messages of every panic that reached the hook installed by
/// [`generator_panic_is_caught_and_names_the_operation`].
static HOOK_SAW: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

#[test]
fn generator_panic_is_caught_and_names_the_operation() {
    // A hook that records what it sees and then behaves like the default
    // one; codegen's own hook must wrap it, not replace it.
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        HOOK_SAW
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(panic_text(info.payload()));
        previous(info);
    }));

    // Bypass validation, which would reject the spec before progenitor sees
    // it: progenitor asserts an operation has at most one success type.
    let spec = codegen::load(&fixture("multi_success_types.yaml")).expect("loads");
    let settings = Settings::load(&fixture("multi_success_types.settings.toml")).expect("settings");
    let err = codegen::generate::generate(&spec, &settings).expect_err("progenitor must fail");
    let text = err.to_string();
    let Error::Generator {
        file,
        operation,
        message,
    } = &err
    else {
        panic!("expected Error::Generator, got {err:?}");
    };
    assert_eq!(file, &fixture("multi_success_types.yaml"));
    // Narrowed down past the operation that generates fine (`getFine`).
    assert_eq!(operation.0, "getThing");
    assert!(message.starts_with("panicked: "), "{message}");
    assert!(message.contains("response_types.len() <= 1"), "{message}");
    assert!(text.contains("operation `getThing`"), "{text}");
    assert!(text.contains("the generator failed"), "{text}");

    // The caught panics were kept quiet: they never reached the outer hook.
    let seen = HOOK_SAW.lock().unwrap().clone();
    assert!(
        !seen.iter().any(|m| m.contains("response_types")),
        "a caught generator panic leaked to the process hook: {seen:?}"
    );

    // An ordinary panic afterwards unwinds normally, with its payload, and
    // still reaches the process's hook.
    let caught = panic::catch_unwind(|| panic!("ordinary panic after generate"));
    let payload = caught.expect_err("the closure panics");
    assert_eq!(
        panic_text(payload.as_ref()),
        "ordinary panic after generate"
    );
    assert!(
        HOOK_SAW
            .lock()
            .unwrap()
            .iter()
            .any(|m| m == "ordinary panic after generate"),
        "an ordinary panic did not reach the process hook"
    );

    // And the generator still works after a caught panic.
    let valid = codegen::load(&fixture("valid.json")).expect("loads");
    codegen::generate::generate(&valid, &settings).expect("a valid spec generates");
}
