//! Waiting for IMS asynchronous jobs: `otc ims wait-job JOB_ID`, and `--wait` on the operations
//! that answer with a `job_id` ([`crate::table::Operation::job`]). Both poll through
//! `otc_client::WaitForJob`, show an `indicatif` spinner on standard error only when it is a
//! terminal, and print the job's final JSON (`ShowJob`'s answer) on standard output. A job that
//! ends in FAIL exits [`crate::EXIT_API`] with its error code and reason; one still running at
//! the deadline exits [`crate::EXIT_OTHER`] naming its last status.

use std::io::IsTerminal;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use otc_client::{JobError, JobPolling, WaitForJob};

use crate::support::{CallError, Output};

/// `otc ims wait-job`.
pub const WAIT_JOB: &str = "wait-job";
/// The service `wait-job` belongs to.
pub const WAIT_JOB_SERVICE: &str = "ims";
/// Argument ids (apart from any parameter's).
pub const WAIT: &str = "--wait";
const POLL_INTERVAL: &str = "--poll-interval";
const WAIT_TIMEOUT: &str = "--wait-timeout";
const JOB_ID: &str = "JOB_ID";

/// Seconds as a [`Duration`]: a finite, non-negative number, at most a year.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !value.is_finite() || !(0.0..=31_536_000.0).contains(&value) {
        return Err(format!("`{text}`: give between 0 and 31536000 seconds"));
    }
    Ok(Duration::from_secs_f64(value))
}

fn polling_args() -> [Arg; 2] {
    let defaults = JobPolling::default();
    [
        Arg::new(POLL_INTERVAL)
            .long("poll-interval")
            .value_name("SECONDS")
            .value_parser(seconds)
            .help(format!("Time between two queries of the job [default: {}]", defaults.interval.as_secs())),
        Arg::new(WAIT_TIMEOUT)
            .long("wait-timeout")
            .value_name("SECONDS")
            .value_parser(seconds)
            .help(format!("Give up after this long [default: {}]", defaults.deadline.as_secs())),
    ]
}

/// `otc ims wait-job JOB_ID`.
pub fn wait_job_command() -> Command {
    Command::new(WAIT_JOB)
        .about("Wait for an asynchronous IMS job to end; print the job")
        .long_about(
            "Polls the job (ShowJob) until it succeeds, fails or the timeout passes, then prints the job's \
             final JSON. A failed job exits 4 with its error code and reason; a timeout exits 1. A spinner \
             shows on standard error when it is a terminal.",
        )
        .arg(Arg::new(JOB_ID).required(true).help("The job id an asynchronous IMS operation answered with"))
        .args(polling_args())
}

/// `--wait` and its settings, for an operation answering with a job.
pub fn wait_args(command: Command) -> Command {
    command
        .arg(
            Arg::new(WAIT)
                .long("wait")
                .action(ArgAction::SetTrue)
                .help("Wait for the job the operation starts to end, and print the job instead of the first answer"),
        )
        .args(polling_args().map(|arg| arg.requires(WAIT)))
}

fn polling(matches: &ArgMatches) -> JobPolling {
    let defaults = JobPolling::default();
    JobPolling {
        interval: matches.get_one::<Duration>(POLL_INTERVAL).copied().unwrap_or(defaults.interval),
        deadline: matches.get_one::<Duration>(WAIT_TIMEOUT).copied().unwrap_or(defaults.deadline),
    }
}

/// The job id of `wait-job`.
pub fn job_id(matches: &ArgMatches) -> Option<&str> {
    matches.get_one::<String>(JOB_ID).map(String::as_str)
}

/// The job id an asynchronous operation answered with.
pub fn job_id_of(output: &Output) -> Option<&str> {
    match output {
        Output::Json(value) => value.get("job_id").and_then(serde_json::Value::as_str),
        _ => None,
    }
}

/// What waiting ended with, before printing.
pub enum Waited {
    Done(Output),
    Failed(JobError),
}

/// Polls `job_id` to its end with the settings in `matches`, a spinner on a terminal.
pub async fn wait(cloud: &otc_client::Cloud, job_id: &str, matches: &ArgMatches) -> Result<Waited, CallError> {
    let spinner = std::io::stderr().is_terminal().then(|| {
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_message(format!("waiting for job {job_id}"));
        spinner.enable_steady_tick(Duration::from_millis(120));
        spinner
    });
    let result = cloud.ims().wait_for_job_with(job_id, polling(matches)).await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    match result {
        Ok(job) => Ok(Waited::Done(Output::Json(serde_json::to_value(job).map_err(CallError::Encode)?))),
        Err(JobError::Query(error)) => Err(CallError::Client(error)),
        Err(error) => Ok(Waited::Failed(error)),
    }
}

/// The exit code of a job that did not succeed: 4 when it failed, 1 at the deadline.
pub fn failed_exit_code(error: &JobError) -> i32 {
    match error {
        JobError::Failed { .. } => crate::EXIT_API,
        _ => crate::EXIT_OTHER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_finite_and_not_negative() {
        assert_eq!(seconds("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(seconds("10"), Ok(Duration::from_secs(10)));
        assert!(seconds("-1").is_err());
        assert!(seconds("NaN").is_err());
        assert!(seconds("inf").is_err());
        assert!(seconds("1e12").is_err());
        assert!(seconds("soon").is_err());
    }
}
