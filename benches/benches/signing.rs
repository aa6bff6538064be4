//! AK/SK signing (`SDK-HMAC-SHA256`) of a request with a 1 KiB JSON body. The request is cloned
//! outside the measurement; only `Signer::sign` is timed.

use std::time::SystemTime;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use otc_client::signer::{AccessKey, Signer};

fn sign(c: &mut Criterion) {
    let body = format!("{{\"name\":\"bench\",\"description\":\"{}\"}}", "x".repeat(1024 - 33));
    assert_eq!(body.len(), 1024);
    let request = otc_client::http::client_builder()
        .build()
        .unwrap()
        .post("https://ims.eu-de.otc.t-systems.com/v2/cloudimages/quickimport/action?b=2&a=1")
        .header("content-type", "application/json")
        .header("x-language", "en-us")
        .body(body)
        .build()
        .unwrap();
    let signer = Signer::new(
        AccessKey::new("AKEXAMPLE0123456789", "SKEXAMPLE0123456789abcdefghijklmnopqrstu"),
        Some("0123456789abcdef".into()),
    );
    let now = SystemTime::now();
    let mut group = c.benchmark_group("signing");
    group.throughput(Throughput::Bytes(1024));
    group.bench_function("1 KiB JSON request", |b| {
        b.iter_batched_ref(
            || request.try_clone().unwrap(),
            |request| signer.sign(request, now).unwrap(),
            BatchSize::SmallInput,
        )
    });
    group.finish();

    // Where the time goes: the pieces of a signature.
    let mut group = c.benchmark_group("signing parts");
    let bytes = request.body().and_then(|body| body.as_bytes()).unwrap().to_vec();
    group.bench_function("sha256 of the 1 KiB body", |b| {
        b.iter(|| {
            use sha2::Digest;
            sha2::Sha256::digest(&bytes)
        })
    });
    group.bench_function("canonical request", |b| {
        b.iter(|| otc_client::signer::canonical_request("POST", request.url(), request.headers(), &bytes).unwrap())
    });
    group.bench_function("signature (HMAC)", |b| {
        let key = otc_client::Secret::new("SKEXAMPLE0123456789abcdefghijklmnopqrstu");
        b.iter(|| {
            otc_client::signer::signature(
                &key,
                "SDK-HMAC-SHA256\n20190307T101459Z\n0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            )
        })
    });
    group.bench_function("request clone (setup cost, not in the signing figure)", |b| {
        b.iter(|| request.try_clone().unwrap())
    });
    group.finish();
}

criterion_group!(benches, sign);
criterion_main!(benches);
