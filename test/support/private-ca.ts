// A private CA made with openssl, and two certificates it signed for DNS:localhost only: one valid
// for a day, one that expired in 2020 (openssl ca sets past dates; openssl x509 cannot).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface PrivateCa {
  readonly ca: string; // the CA's certificate: what NODE_EXTRA_CA_CERTS names
  readonly valid: { readonly cert: string; readonly key: string };
  readonly expired: { readonly cert: string; readonly key: string };
}

const openssl = (dir: string, args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });

export function privateCa(dir: string): PrivateCa {
  const subjectAltName = join(dir, "san.cnf");
  writeFileSync(subjectAltName, "subjectAltName=DNS:localhost\n");
  openssl(dir, [
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=loadworker test CA"],
    ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    ...["-keyout", "ca-key.pem", "-out", "ca.pem"],
  ]);
  openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "key.pem", "-out", "leaf.csr"]);
  openssl(dir, [
    ...["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-days", "1"],
    ...["-extfile", subjectAltName, "-out", "valid.pem"],
  ]);
  mkdirSync(join(dir, "issued"));
  writeFileSync(join(dir, "issued", "index.txt"), "");
  writeFileSync(join(dir, "issued", "serial"), "01\n");
  writeFileSync(
    join(dir, "ca.cnf"),
    "[ca]\ndefault_ca = test\n[test]\ndatabase = issued/index.txt\nnew_certs_dir = issued\nserial = issued/serial\n" +
      "default_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n",
  );
  openssl(dir, [
    ...["ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca-key.pem"],
    ...["-startdate", "20200101000000Z", "-enddate", "20200102000000Z"],
    ...["-extfile", subjectAltName, "-in", "leaf.csr", "-out", "expired.pem"],
  ]);
  const key = join(dir, "key.pem");
  return { ca: join(dir, "ca.pem"), valid: { cert: join(dir, "valid.pem"), key }, expired: { cert: join(dir, "expired.pem"), key } };
}
