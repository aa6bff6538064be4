//! Waiting for IMS asynchronous jobs (`GET /v1/{project_id}/jobs/{job_id}`): quick import,
//! image creation and the like answer with a job id; [`WaitForJob::wait_for_job`] polls it until
//! it succeeds, fails, or a deadline passes.

use std::fmt;
use std::time::Duration;

use crate::ims::types::{JobStatus, ShowJobResponse};

/// How to poll. The default: every 10 s, for at most 10 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobPolling {
    /// The time between two queries of the job.
    pub interval: Duration,
    /// How long to wait in all before giving up.
    pub deadline: Duration,
}

impl Default for JobPolling {
    fn default() -> Self {
        JobPolling { interval: Duration::from_secs(10), deadline: Duration::from_secs(600) }
    }
}

/// Why waiting did not end in a successful job.
#[derive(Debug)]
#[non_exhaustive]
pub enum JobError {
    /// The job ended with status FAIL.
    Failed {
        /// The job's id.
        job_id: String,
        /// IMS's error code (`IMG.0001`), if the job names one.
        error_code: Option<String>,
        /// IMS's reason, if the job gives one.
        fail_reason: Option<String>,
    },
    /// The deadline passed first; the last status seen.
    DeadlineExceeded {
        /// The job's id.
        job_id: String,
        /// The status of the last answer (`RUNNING`), if it had one.
        last_status: Option<String>,
        /// How long it was polled.
        waited: Duration,
    },
    /// Querying the job failed.
    Query(crate::Error),
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Failed { job_id, error_code, fail_reason } => write!(
                f,
                "job {job_id} failed ({}): {}",
                error_code.as_deref().unwrap_or("no error code"),
                fail_reason.as_deref().unwrap_or("no reason given")
            ),
            JobError::DeadlineExceeded { job_id, last_status, waited } => write!(
                f,
                "job {job_id} did not finish within {waited:?}; last status {}",
                last_status.as_deref().unwrap_or("unknown")
            ),
            JobError::Query(error) => write!(f, "querying the job failed: {error}"),
        }
    }
}

impl std::error::Error for JobError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JobError::Query(error) => Some(error),
            _ => None,
        }
    }
}

/// Polling a job to its end, on the IMS client.
pub trait WaitForJob {
    /// Polls with the default [`JobPolling`]; see [`WaitForJob::wait_for_job_with`].
    fn wait_for_job(&self, job_id: &str) -> impl Future<Output = Result<ShowJobResponse, JobError>> + Send {
        self.wait_for_job_with(job_id, JobPolling::default())
    }

    /// Polls until SUCCESS (the job, with `entities.image_id`), FAIL (an error with the job's
    /// `fail_reason` and `error_code`) or the deadline (an error naming the last status).
    /// INIT, RUNNING and statuses this client does not know keep it polling.
    fn wait_for_job_with(
        &self,
        job_id: &str,
        polling: JobPolling,
    ) -> impl Future<Output = Result<ShowJobResponse, JobError>> + Send;
}

impl WaitForJob for crate::ims::Client {
    async fn wait_for_job_with(&self, job_id: &str, polling: JobPolling) -> Result<ShowJobResponse, JobError> {
        let started = tokio::time::Instant::now();
        loop {
            let job = self.show_job().job_id(job_id).send().await.map_err(JobError::Query)?.into_inner();
            match &job.status {
                Some(JobStatus::Success) => return Ok(job),
                Some(JobStatus::Fail) => {
                    return Err(JobError::Failed {
                        job_id: job_id.to_owned(),
                        error_code: job.error_code,
                        fail_reason: job.fail_reason,
                    });
                }
                _ => {}
            }
            let last_status = job.status.as_ref().map(ToString::to_string);
            let waited = started.elapsed();
            if waited + polling.interval > polling.deadline {
                return Err(JobError::DeadlineExceeded { job_id: job_id.to_owned(), last_status, waited });
            }
            tokio::time::sleep(polling.interval).await;
        }
    }
}
