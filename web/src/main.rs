fn main() {
    dfharden_web::run();
}
