// The image tests' Node.js app: answers every request with the uid it runs as (no npm
// dependencies, so it installs offline).
const http = require("http");
const [host, port] = (process.env.ADDR || "0.0.0.0:8080").split(":");
http
  .createServer((req, res) => res.end(`hello from uid=${process.getuid()}\n`))
  .listen(Number(port), host, () => console.log(`listening on ${host}:${port}`));
