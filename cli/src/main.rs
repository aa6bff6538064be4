fn main() {
    std::process::exit(otc_cli::run(std::env::args_os()));
}
