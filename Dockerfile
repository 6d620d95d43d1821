# dfharden's own image: the CLI built in the official Rust image and run on distroless/cc
# (glibc and nothing else: no shell, no package manager) as uid 65532. From a checkout:
#
#   docker build -t dfharden .
#   docker run --rm -v "$PWD:/work" dfharden check .
#   docker run --rm -v "$PWD:/work" dfharden fix --write Dockerfile   # files stay yours: add --user "$(id -u)"
#
# Pin both images by digest with `dfharden pin Dockerfile` before you publish the image: the
# machine this repository is built on cannot reach the registries, so no digest is written
# here (dfharden never makes one up). tests/images builds this file pinned to its stand-ins and
# checks that `dfharden check` then finds nothing in it.
FROM rust:1-trixie AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p dfharden

FROM gcr.io/distroless/cc-debian13:nonroot
COPY --from=build /src/target/release/dfharden /usr/local/bin/dfharden
WORKDIR /work
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/dfharden"]
CMD ["--help"]
