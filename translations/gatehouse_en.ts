<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Gatehouse::AuthHelper</name>
    <message>
        <source>No credentials</source>
        <translation>No credentials</translation>
    </message>
    <message>
        <source>Bearer token (OAuth2 / JWT)</source>
        <translation>Bearer token (OAuth2 / JWT)</translation>
    </message>
    <message>
        <source>API key header</source>
        <translation>API key header</translation>
    </message>
    <message>
        <source>Basic (user and password)</source>
        <translation>Basic (user and password)</translation>
    </message>
    <message>
        <source>the key</source>
        <translation>the key</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>Header:</source>
        <translation>Header:</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>Key:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>User:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Credentials:</source>
        <translation>Credentials:</translation>
    </message>
    <message>
        <source>No credentials header is added.</source>
        <translation>No credentials header is added.</translation>
    </message>
    <message>
        <source>Fill in the fields to add the header.</source>
        <translation>Fill in the fields to add the header.</translation>
    </message>
    <message>
        <source>Adds: %1: %2</source>
        <translation>Adds: %1: %2</translation>
    </message>
    <message>
        <source>eyJhbGciOi… (issue one in Keys and Tokens, or pick it above)</source>
        <translation>eyJhbGciOi… (issue one in Keys and Tokens, or pick it above)</translation>
    </message>
    <message>
        <source>Issued key:</source>
        <translation>Issued key:</translation>
    </message>
    <message>
        <source>Keys issued in Keys and Tokens that are neither revoked nor expired</source>
        <translation>Keys issued in Keys and Tokens that are neither revoked nor expired</translation>
    </message>
    <message>
        <source>Pick an issued key…</source>
        <translation>Pick an issued key…</translation>
    </message>
    <message>
        <source>no scopes</source>
        <translation>no scopes</translation>
    </message>
    <message>
        <source>%1 · %2 · expires in %3</source>
        <translation>%1 · %2 · expires in %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>jti %1</source>
        <translation>jti %1</translation>
    </message>
</context>
<context>
    <name>Gatehouse::CodeEditor</name>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Find…</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Replace…</source>
        <translation>&amp;Replace…</translation>
    </message>
    <message>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>Find &amp;Next</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>Find &amp;Previous</translation>
    </message>
    <message>
        <source>&amp;Go to Line…</source>
        <translation>&amp;Go to Line…</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ExportWizard</name>
    <message numerus="yes">
        <source>Bundle: %1 (%n file(s)). Run it with: gatehoused serve %1</source>
        <translation>
            <numerusform>Bundle: %1 (%n file). Run it with: gatehoused serve %1</numerusform>
            <numerusform>Bundle: %1 (%n files). Run it with: gatehoused serve %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Image: %1 as %2, %3 KiB, %n file(s), digest %4</source>
        <translation>
            <numerusform>Image: %1 as %2, %3 KiB, %n file, digest %4</numerusform>
            <numerusform>Image: %1 as %2, %3 KiB, %n files, digest %4</numerusform>
        </translation>
    </message>
    <message>
        <source>Export Project</source>
        <translation>Export Project</translation>
    </message>
    <message>
        <source>What to export</source>
        <translation>What to export</translation>
    </message>
    <message>
        <source>A bundle is the project resolved and validated, ready for &apos;gatehoused serve&apos;. An image, manifests and a Dockerfile are made of the bundle.</source>
        <translation>A bundle is the project resolved and validated, ready for &apos;gatehoused serve&apos;. An image, manifests and a Dockerfile are made of the bundle.</translation>
    </message>
    <message>
        <source>OCI container image (written without Docker or Podman)</source>
        <translation>OCI container image (written without Docker or Podman)</translation>
    </message>
    <message>
        <source>The gatehoused binary the image ships</source>
        <translation>The gatehoused binary the image ships</translation>
    </message>
    <message>
        <source>Kubernetes manifests (Deployment, Service, ConfigMap, Secret templates, HPA)</source>
        <translation>Kubernetes manifests (Deployment, Service, ConfigMap, Secret templates, HPA)</translation>
    </message>
    <message>
        <source>Dockerfile for building the image yourself (%1)</source>
        <translation>Dockerfile for building the image yourself (%1)</translation>
    </message>
    <message>
        <source>Bundle folder:</source>
        <translation>Bundle folder:</translation>
    </message>
    <message>
        <source>Image file:</source>
        <translation>Image file:</translation>
    </message>
    <message>
        <source>Image name:</source>
        <translation>Image name:</translation>
    </message>
    <message>
        <source>gatehoused:</source>
        <translation>gatehoused:</translation>
    </message>
    <message>
        <source>Manifests folder:</source>
        <translation>Manifests folder:</translation>
    </message>
    <message>
        <source>Secrets</source>
        <translation>Secrets</translation>
    </message>
    <message>
        <source>Private keys, password hashes and secrets of gatehouse.yaml.</source>
        <translation>Private keys, password hashes and secrets of gatehouse.yaml.</translation>
    </message>
    <message>
        <source>Leave them out: the bundle reads them from environment variables or mounted files (recommended)</source>
        <translation>Leave them out: the bundle reads them from environment variables or mounted files (recommended)</translation>
    </message>
    <message>
        <source>Include them as they are</source>
        <translation>Include them as they are</translation>
    </message>
    <message>
        <source>&lt;b&gt;Warning:&lt;/b&gt; the bundle (and the image) will contain private keys and secrets in clear. Anyone who can read it can impersonate this gateway and its users: never commit, share or publish it.</source>
        <translation>&lt;b&gt;Warning:&lt;/b&gt; the bundle (and the image) will contain private keys and secrets in clear. Anyone who can read it can impersonate this gateway and its users: never commit, share or publish it.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Choose the bundle&apos;s folder.</source>
        <translation>Choose the bundle&apos;s folder.</translation>
    </message>
    <message>
        <source>%1 exists and is not an empty folder.</source>
        <translation>%1 exists and is not an empty folder.</translation>
    </message>
    <message>
        <source>Choose the image file.</source>
        <translation>Choose the image file.</translation>
    </message>
    <message>
        <source>No gatehoused binary to put into the image: install the gatehoused package or name the binary.</source>
        <translation>No gatehoused binary to put into the image: install the gatehoused package or name the binary.</translation>
    </message>
    <message>
        <source>Choose the manifests&apos; folder.</source>
        <translation>Choose the manifests&apos; folder.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <source>Writing the bundle…</source>
        <translation>Writing the bundle…</translation>
    </message>
    <message>
        <source>Writing the Dockerfile…</source>
        <translation>Writing the Dockerfile…</translation>
    </message>
    <message>
        <source>Writing the image: file %1 of %2…</source>
        <translation>Writing the image: file %1 of %2…</translation>
    </message>
    <message>
        <source>Writing the Kubernetes manifests…</source>
        <translation>Writing the Kubernetes manifests…</translation>
    </message>
    <message>
        <source>The export failed.</source>
        <translation>The export failed.</translation>
    </message>
    <message>
        <source>Not exported: %1</source>
        <translation>Not exported: %1</translation>
    </message>
    <message>
        <source>Exported &apos;%1&apos;.</source>
        <translation>Exported &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>WARNING: the bundle contains private keys and secrets in clear; keep it private.</source>
        <translation>WARNING: the bundle contains private keys and secrets in clear; keep it private.</translation>
    </message>
    <message>
        <source>  left out (secret): %1</source>
        <translation>  left out (secret): %1</translation>
    </message>
    <message>
        <source>  secret variable: %1 (%2)</source>
        <translation>  secret variable: %1 (%2)</translation>
    </message>
    <message>
        <source>  load it with: docker load -i %1 (or podman load, skopeo copy oci-archive:…)</source>
        <translation>  load it with: docker load -i %1 (or podman load, skopeo copy oci-archive:…)</translation>
    </message>
    <message>
        <source>Dockerfile: %1 (docker buildx build -f %1 --build-context bundle=%2 … GATEHOUSE_SOURCES)</source>
        <translation>Dockerfile: %1 (docker buildx build -f %1 --build-context bundle=%2 … GATEHOUSE_SOURCES)</translation>
    </message>
    <message>
        <source>Kubernetes: %1 in %2; fill in secret.yaml, then kubectl apply -f %2</source>
        <translation>Kubernetes: %1 in %2; fill in secret.yaml, then kubectl apply -f %2</translation>
    </message>
</context>
<context>
    <name>Gatehouse::FindBar</name>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>replaced %n</source>
        <translation>
            <numerusform>replaced %n</numerusform>
            <numerusform>replaced %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>Match case</translation>
    </message>
    <message>
        <source>Whole words</source>
        <translation>Whole words</translation>
    </message>
    <message>
        <source>Regular expression (\1 in the replacement inserts a group)</source>
        <translation>Regular expression (\1 in the replacement inserts a group)</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>Replace with</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>Previous match (Shift+F3)</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>Next match (F3)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Replace</translation>
    </message>
    <message>
        <source>Replace All</source>
        <translation>Replace All</translation>
    </message>
    <message>
        <source>bad regex: %1</source>
        <translation>bad regex: %1</translation>
    </message>
    <message>
        <source>no matches</source>
        <translation>no matches</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 of %2</translation>
    </message>
    <message>
        <source> · wrapped</source>
        <translation> · wrapped</translation>
    </message>
</context>
<context>
    <name>Gatehouse::GatewayController</name>
    <message>
        <source>&amp;Start Gateway</source>
        <translation>&amp;Start Gateway</translation>
    </message>
    <message>
        <source>S&amp;top Gateway</source>
        <translation>S&amp;top Gateway</translation>
    </message>
    <message>
        <source>&amp;Reload Gateway</source>
        <translation>&amp;Reload Gateway</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Start the embedded gateway on this project (Ctrl+R)</source>
        <translation>Start the embedded gateway on this project (Ctrl+R)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>The gateway did not start: see Problems</source>
        <translation>The gateway did not start: see Problems</translation>
    </message>
    <message>
        <source>Gateway started on %1</source>
        <translation>Gateway started on %1</translation>
    </message>
    <message>
        <source>Gateway reloaded (config version %1)</source>
        <translation>Gateway reloaded (config version %1)</translation>
    </message>
    <message>
        <source>Reload refused: the project has errors; the gateway keeps config version %1</source>
        <translation>Reload refused: the project has errors; the gateway keeps config version %1</translation>
    </message>
    <message>
        <source>Gateway: stopped</source>
        <translation>Gateway: stopped</translation>
    </message>
    <message>
        <source>Gateway: starting…</source>
        <translation>Gateway: starting…</translation>
    </message>
    <message>
        <source>Gateway: stopping…</source>
        <translation>Gateway: stopping…</translation>
    </message>
    <message>
        <source>Gateway: running — http :%1</source>
        <translation>Gateway: running — http :%1</translation>
    </message>
    <message>
        <source>, https :%1</source>
        <translation>, https :%1</translation>
    </message>
    <message>
        <source>, admin :%1</source>
        <translation>, admin :%1</translation>
    </message>
    <message>
        <source> — config v%1</source>
        <translation> — config v%1</translation>
    </message>
    <message>
        <source> — capturing for Replay</source>
        <translation> — capturing for Replay</translation>
    </message>
</context>
<context>
    <name>Gatehouse::GatewayForm</name>
    <message>
        <source>Run on a &amp;Sample…</source>
        <translation>Run on a &amp;Sample…</translation>
    </message>
    <message>
        <source>Run the request and response policies on a sample request you edit, without the network</source>
        <translation>Run the request and response policies on a sample request you edit, without the network</translation>
    </message>
    <message>
        <source>Let requests through without credentials</source>
        <translation>Let requests through without credentials</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Apply</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>Re&amp;vert</translation>
    </message>
    <message>
        <source>x-gatehouse-basePath: where the gateway exposes the API; {version} is replaced by info.version</source>
        <translation>x-gatehouse-basePath: where the gateway exposes the API; {version} is replaced by info.version</translation>
    </message>
    <message>
        <source>Base path:</source>
        <translation>Base path:</translation>
    </message>
    <message>
        <source>One upstream URL per line; empty = servers[0]</source>
        <translation>One upstream URL per line; empty = servers[0]</translation>
    </message>
    <message>
        <source>Endpoints:</source>
        <translation>Endpoints:</translation>
    </message>
    <message>
        <source>Single upstream</source>
        <translation>Single upstream</translation>
    </message>
    <message>
        <source>Load balance</source>
        <translation>Load balance</translation>
    </message>
    <message>
        <source>Failover</source>
        <translation>Failover</translation>
    </message>
    <message>
        <source>Strategy:</source>
        <translation>Strategy:</translation>
    </message>
    <message>
        <source>Security:</source>
        <translation>Security:</translation>
    </message>
    <message>
        <source>A request needs the credentials of one checked scheme</source>
        <translation>A request needs the credentials of one checked scheme</translation>
    </message>
    <message>
        <source>pets:read pets:write</source>
        <translation>pets:read pets:write</translation>
    </message>
    <message>
        <source>x-gatehouse-scopes: scopes a token must carry, besides those in security</source>
        <translation>x-gatehouse-scopes: scopes a token must carry, besides those in security</translation>
    </message>
    <message>
        <source>Scopes:</source>
        <translation>Scopes:</translation>
    </message>
    <message>
        <source>x-gatehouse-throttling-tier: a rate-limit tier from gatehouse.yaml</source>
        <translation>x-gatehouse-throttling-tier: a rate-limit tier from gatehouse.yaml</translation>
    </message>
    <message>
        <source>Throttling tier:</source>
        <translation>Throttling tier:</translation>
    </message>
    <message>
        <source>x-gatehouse-request-policies, run in this order</source>
        <translation>x-gatehouse-request-policies, run in this order</translation>
    </message>
    <message>
        <source>Request policies:</source>
        <translation>Request policies:</translation>
    </message>
    <message>
        <source>x-gatehouse-response-policies, run in this order</source>
        <translation>x-gatehouse-response-policies, run in this order</translation>
    </message>
    <message>
        <source>Response policies:</source>
        <translation>Response policies:</translation>
    </message>
    <message>
        <source>Open an OpenAPI file from apis/ to edit its gateway settings here.</source>
        <translation>Open an OpenAPI file from apis/ to edit its gateway settings here.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — the whole API</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — the whole API</translation>
    </message>
    <message>
        <source>/petstore/{version}</source>
        <translation>/petstore/{version}</translation>
    </message>
    <message>
        <source>Set on the whole API</source>
        <translation>Set on the whole API</translation>
    </message>
    <message>
        <source>Not set: no credentials needed</source>
        <translation>Not set: no credentials needed</translation>
    </message>
    <message>
        <source>Same as the API</source>
        <translation>Same as the API</translation>
    </message>
    <message>
        <source>No credentials needed (security: [])</source>
        <translation>No credentials needed (security: [])</translation>
    </message>
    <message>
        <source>Any one of the checked schemes</source>
        <translation>Any one of the checked schemes</translation>
    </message>
    <message>
        <source>As written in the text (schemes combined)</source>
        <translation>As written in the text (schemes combined)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>%1 (not defined)</source>
        <translation>%1 (not defined)</translation>
    </message>
    <message>
        <source>Cannot write %1 here: %2</source>
        <translation>Cannot write %1 here: %2</translation>
    </message>
</context>
<context>
    <name>Gatehouse::GoToLineBar</name>
    <message>
        <source>Go to line:</source>
        <translation>Go to line:</translation>
    </message>
    <message>
        <source>line[:column]</source>
        <translation>line[:column]</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>(1–%1)</source>
        <translation>(1–%1)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::IssuedKeysModel</name>
    <message>
        <source>all</source>
        <translation>all</translation>
    </message>
    <message>
        <source>expired %1 ago</source>
        <translation>expired %1 ago</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>in %1</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>revoked</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expired</translation>
    </message>
    <message>
        <source>active</source>
        <translation>active</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scopes</translation>
    </message>
    <message>
        <source>APIs</source>
        <translation>APIs</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expires</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>ID (jti)</source>
        <translation>ID (jti)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::KeyValueTable</name>
    <message>
        <source>Add</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Add a row</source>
        <translation>Add a row</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Remove the selected rows (Delete)</source>
        <translation>Remove the selected rows (Delete)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::KeysDock</name>
    <message>
        <source>in %1</source>
        <translation>in %1</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>%1 ago</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>Issue</translation>
    </message>
    <message>
        <source>Issued Keys</source>
        <translation>Issued Keys</translation>
    </message>
    <message>
        <source>JWKS</source>
        <translation>JWKS</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>Inspect</translation>
    </message>
    <message>
        <source>who the key is for, e.g. mobile-app</source>
        <translation>who the key is for, e.g. mobile-app</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>&amp;Subject:</translation>
    </message>
    <message>
        <source>Scopes the project&apos;s APIs, operations and gRPC methods declare</source>
        <translation>Scopes the project&apos;s APIs, operations and gRPC methods declare</translation>
    </message>
    <message>
        <source>S&amp;copes:</source>
        <translation>S&amp;copes:</translation>
    </message>
    <message>
        <source>None checked: the key may call every API</source>
        <translation>None checked: the key may call every API</translation>
    </message>
    <message>
        <source>Allowed &amp;APIs:</source>
        <translation>Allowed &amp;APIs:</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutes</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>hours</translation>
    </message>
    <message>
        <source>days</source>
        <translation>days</translation>
    </message>
    <message>
        <source>The keytype claim: which endpoints (production or sandbox) the key reaches</source>
        <translation>The keytype claim: which endpoints (production or sandbox) the key reaches</translation>
    </message>
    <message>
        <source>Validity:</source>
        <translation>Validity:</translation>
    </message>
    <message>
        <source>Custom claims as a JSON object, e.g. {&quot;tier&quot;: &quot;Gold&quot;}</source>
        <translation>Custom claims as a JSON object, e.g. {&quot;tier&quot;: &quot;Gold&quot;}</translation>
    </message>
    <message>
        <source>C&amp;laims:</source>
        <translation>C&amp;laims:</translation>
    </message>
    <message>
        <source>Send &amp;as:</source>
        <translation>Send &amp;as:</translation>
    </message>
    <message>
        <source>&amp;Issue Key</source>
        <translation>&amp;Issue Key</translation>
    </message>
    <message>
        <source>The signed key appears here</source>
        <translation>The signed key appears here</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>Use in &amp;Try It</source>
        <translation>Use in &amp;Try It</translation>
    </message>
    <message>
        <source>The try-it console sends the key now</source>
        <translation>The try-it console sends the key now</translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation>&amp;Revoke</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Use in Try It</source>
        <translation>Use in Try It</translation>
    </message>
    <message>
        <source>The issuer&apos;s public keys, as the admin API serves them at /.well-known/jwks.json: give them to anyone who verifies its keys.</source>
        <translation>The issuer&apos;s public keys, as the admin API serves them at /.well-known/jwks.json: give them to anyone who verifies its keys.</translation>
    </message>
    <message>
        <source>Copy JWKS</source>
        <translation>Copy JWKS</translation>
    </message>
    <message>
        <source>Paste a JWT or API key: it is decoded and verified against the project&apos;s issuers</source>
        <translation>Paste a JWT or API key: it is decoded and verified against the project&apos;s issuers</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Claims</translation>
    </message>
    <message>
        <source>Bearer token (Authorization)</source>
        <translation>Bearer token (Authorization)</translation>
    </message>
    <message>
        <source>API key header (%1)</source>
        <translation>API key header (%1)</translation>
    </message>
    <message>
        <source>Keys issued here are recorded in %1 (readable by you only, never part of an export).</source>
        <translation>Keys issued here are recorded in %1 (readable by you only, never part of an export).</translation>
    </message>
    <message>
        <source>A key needs a subject: who is it for?</source>
        <translation>A key needs a subject: who is it for?</translation>
    </message>
    <message>
        <source>Claims: %1 at character %2</source>
        <translation>Claims: %1 at character %2</translation>
    </message>
    <message>
        <source>Claims must be a JSON object, like {&quot;tier&quot;: &quot;Gold&quot;}</source>
        <translation>Claims must be a JSON object, like {&quot;tier&quot;: &quot;Gold&quot;}</translation>
    </message>
    <message>
        <source>Not issued: %1</source>
        <translation>Not issued: %1</translation>
    </message>
    <message>
        <source>Issued key %1 for &apos;%2&apos;, valid until %3.</source>
        <translation>Issued key %1 for &apos;%2&apos;, valid until %3.</translation>
    </message>
    <message>
        <source>Key copied to the clipboard</source>
        <translation>Key copied to the clipboard</translation>
    </message>
    <message>
        <source>Not revoked: %1</source>
        <translation>Not revoked: %1</translation>
    </message>
    <message>
        <source>Key %1 revoked: the gateway refuses it within a second</source>
        <translation>Key %1 revoked: the gateway refuses it within a second</translation>
    </message>
</context>
<context>
    <name>Gatehouse::Language</name>
    <message>
        <source>unknown language &apos;%1&apos; (known: %2)</source>
        <translation>unknown language &apos;%1&apos; (known: %2)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::MainWindow</name>
    <message>
        <source>gRPC Try It</source>
        <translation>gRPC Try It</translation>
    </message>
    <message>
        <source>gRPC Services</source>
        <translation>gRPC Services</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>Outline</translation>
    </message>
    <message>
        <source>Gateway Settings</source>
        <translation>Gateway Settings</translation>
    </message>
    <message>
        <source>Try It</source>
        <translation>Try It</translation>
    </message>
    <message>
        <source>Keys and Tokens</source>
        <translation>Keys and Tokens</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Metrics</translation>
    </message>
    <message>
        <source>Traces</source>
        <translation>Traces</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;New Project…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+N</source>
        <translation>Ctrl+Shift+N</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>&amp;Open Project…</translation>
    </message>
    <message>
        <source>Open &amp;MGW Project…</source>
        <translation>Open &amp;MGW Project…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Open &amp;Recent</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Save A&amp;ll</source>
        <translation>Save A&amp;ll</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <source>&amp;Close Tab</source>
        <translation>&amp;Close Tab</translation>
    </message>
    <message>
        <source>Re&amp;load Project</source>
        <translation>Re&amp;load Project</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>Open a project to export it</source>
        <translation>Open a project to export it</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;Gateway</source>
        <translation>&amp;Gateway</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>Gateway</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About Gatehouse</source>
        <translation>&amp;About Gatehouse</translation>
    </message>
    <message>
        <source>About Gatehouse</source>
        <translation>About Gatehouse</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Gatehouse %1&lt;/h3&gt;&lt;p&gt;API workbench with an embedded API gateway.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Gatehouse %1&lt;/h3&gt;&lt;p&gt;API workbench with an embedded API gateway.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open Project Folder</source>
        <translation>Open Project Folder</translation>
    </message>
    <message>
        <source>Open WSO2 Microgateway 3.x Project</source>
        <translation>Open WSO2 Microgateway 3.x Project</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Opened %1</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Cannot open %1: %2</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>Save failed</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them?</source>
        <translation>%1 has unsaved changes. Save them?</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Find…</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Replace…</source>
        <translation>&amp;Replace…</translation>
    </message>
    <message>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <source>&amp;Go to Line…</source>
        <translation>&amp;Go to Line…</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
</context>
<context>
    <name>Gatehouse::MemberEdit</name>
    <message>
        <source>&apos;%1&apos; is not in the document</source>
        <translation>&apos;%1&apos; is not in the document</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is written on one line; edit it in the text</source>
        <translation>&apos;%1&apos; is written on one line; edit it in the text</translation>
    </message>
    <message>
        <source>the document is not a JSON object</source>
        <translation>the document is not a JSON object</translation>
    </message>
</context>
<context>
    <name>Gatehouse::MetricsDock</name>
    <message>
        <source>Show one API or one operation (latency, status and rate-limit charts)</source>
        <translation>Show one API or one operation (latency, status and rate-limit charts)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Freeze the charts; data keeps being recorded</source>
        <translation>Freeze the charts; data keeps being recorded</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Back to the last five minutes, following new data (zoom with the wheel, pan by dragging)</source>
        <translation>Back to the last five minutes, following new data (zoom with the wheel, pan by dragging)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Charts as PNG…</source>
        <translation>Charts as PNG…</translation>
    </message>
    <message>
        <source>Export Charts</source>
        <translation>Export Charts</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <source>Data as CSV…</source>
        <translation>Data as CSV…</translation>
    </message>
    <message>
        <source>Export Metrics</source>
        <translation>Export Metrics</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Show:</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Traffic</translation>
    </message>
    <message>
        <source>req/s</source>
        <translation>req/s</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latency</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Responses by status class</source>
        <translation>Responses by status class</translation>
    </message>
    <message>
        <source>Time per phase (mean, all APIs)</source>
        <translation>Time per phase (mean, all APIs)</translation>
    </message>
    <message>
        <source>All requests</source>
        <translation>All requests</translation>
    </message>
    <message>
        <source>API %1</source>
        <translation>API %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>%1 req/s · p50 %2 ms · p95 %3 ms · p99 %4 ms · %5 connections</source>
        <translation>%1 req/s · p50 %2 ms · p95 %3 ms · p99 %4 ms · %5 connections</translation>
    </message>
    <message>
        <source>Waiting for the gateway: charts fill once it runs</source>
        <translation>Waiting for the gateway: charts fill once it runs</translation>
    </message>
</context>
<context>
    <name>Gatehouse::MetricsHistory</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Requests/s</translation>
    </message>
    <message>
        <source>p50 (ms)</source>
        <translation>p50 (ms)</translation>
    </message>
    <message>
        <source>p95 (ms)</source>
        <translation>p95 (ms)</translation>
    </message>
    <message>
        <source>p99 (ms)</source>
        <translation>p99 (ms)</translation>
    </message>
    <message>
        <source>1xx/s</source>
        <translation>1xx/s</translation>
    </message>
    <message>
        <source>2xx/s</source>
        <translation>2xx/s</translation>
    </message>
    <message>
        <source>3xx/s</source>
        <translation>3xx/s</translation>
    </message>
    <message>
        <source>4xx/s</source>
        <translation>4xx/s</translation>
    </message>
    <message>
        <source>5xx/s</source>
        <translation>5xx/s</translation>
    </message>
    <message>
        <source>Errors/s</source>
        <translation>Errors/s</translation>
    </message>
    <message>
        <source>Rate-limited/s</source>
        <translation>Rate-limited/s</translation>
    </message>
    <message>
        <source>Auth failures/s</source>
        <translation>Auth failures/s</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Connections</translation>
    </message>
    <message>
        <source>%1 (ms)</source>
        <translation>%1 (ms)</translation>
    </message>
    <message>
        <source>Request duration percentile in that second, estimated from the histogram buckets</source>
        <translation>Request duration percentile in that second, estimated from the histogram buckets</translation>
    </message>
    <message>
        <source>Responses with a 5xx status</source>
        <translation>Responses with a 5xx status</translation>
    </message>
    <message>
        <source>Requests refused by rate limiting (per API or operation: its 429 responses)</source>
        <translation>Requests refused by rate limiting (per API or operation: its 429 responses)</translation>
    </message>
    <message>
        <source>Open client connections</source>
        <translation>Open client connections</translation>
    </message>
    <message>
        <source>Mean time a request spent in this phase (all APIs)</source>
        <translation>Mean time a request spent in this phase (all APIs)</translation>
    </message>
    <message>
        <source>Requests refused by authentication or authorization (per API or operation: its 401 and 403 responses)</source>
        <translation>Requests refused by authentication or authorization (per API or operation: its 401 and 403 responses)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::MgwProject</name>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message>
        <source>Open MGW Project</source>
        <translation>Open MGW Project</translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 is a WSO2 API Microgateway 3.x project. Gatehouse imports it into a new project folder and leaves MGW&apos;s files as they are:&lt;/p&gt;&lt;p&gt;&lt;b&gt;%2&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A report of what cannot be carried over is written there as IMPORT-REPORT.md.&lt;/p&gt;</source>
        <translation>&lt;p&gt;%1 is a WSO2 API Microgateway 3.x project. Gatehouse imports it into a new project folder and leaves MGW&apos;s files as they are:&lt;/p&gt;&lt;p&gt;&lt;b&gt;%2&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A report of what cannot be carried over is written there as IMPORT-REPORT.md.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Choose Folder…</source>
        <translation>Choose Folder…</translation>
    </message>
    <message>
        <source>Folder for the Imported Project (new or empty)</source>
        <translation>Folder for the Imported Project (new or empty)</translation>
    </message>
    <message>
        <source>&lt;p&gt;Imported into %1.&lt;/p&gt;&lt;p&gt;Carried over:&lt;/p&gt;</source>
        <translation>&lt;p&gt;Imported into %1.&lt;/p&gt;&lt;p&gt;Carried over:&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Not carried over:&lt;/p&gt;</source>
        <translation>&lt;p&gt;Not carried over:&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The imported project has %1 and %2: see the Problems dock.&lt;/p&gt;</source>
        <translation>&lt;p&gt;The imported project has %1 and %2: see the Problems dock.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>%1 does not look like a WSO2 Microgateway 3.x project: it has no OpenAPI files under api_definitions/.</source>
        <translation>%1 does not look like a WSO2 Microgateway 3.x project: it has no OpenAPI files under api_definitions/.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::NewProjectDialog</name>
    <message>
        <source>New Project</source>
        <translation>New Project</translation>
    </message>
    <message>
        <source>Letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;. Also the name of the project&apos;s folder.</source>
        <translation>Letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;. Also the name of the project&apos;s folder.</translation>
    </message>
    <message>
        <source>Where the first API&apos;s requests go (servers[0].url of apis/hello.yaml).</source>
        <translation>Where the first API&apos;s requests go (servers[0].url of apis/hello.yaml).</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Create the Project In</source>
        <translation>Create the Project In</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>A project with one API (GET /hello/v1/greeting, no credentials needed) that forwards to your service. Add APIs, security and limits later.</source>
        <translation>A project with one API (GET /hello/v1/greeting, no credentials needed) that forwards to your service. Add APIs, security and limits later.</translation>
    </message>
    <message>
        <source>Create &amp;in:</source>
        <translation>Create &amp;in:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Upstream URL:</source>
        <translation>&amp;Upstream URL:</translation>
    </message>
    <message>
        <source>The name may use letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, and starts with a letter or digit.</source>
        <translation>The name may use letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, and starts with a letter or digit.</translation>
    </message>
    <message>
        <source>Choose the folder to create the project in (an absolute path).</source>
        <translation>Choose the folder to create the project in (an absolute path).</translation>
    </message>
    <message>
        <source>The upstream URL must be an http:// or https:// URL, such as http://127.0.0.1:8080.</source>
        <translation>The upstream URL must be an http:// or https:// URL, such as http://127.0.0.1:8080.</translation>
    </message>
    <message>
        <source>%1 already exists and is not empty.</source>
        <translation>%1 already exists and is not empty.</translation>
    </message>
    <message>
        <source>Creates %1</source>
        <translation>Creates %1</translation>
    </message>
</context>
<context>
    <name>Gatehouse::OpenApiOutline</name>
    <message numerus="yes">
        <source>%n operation(s)</source>
        <translation>
            <numerusform>%n operation</numerusform>
            <numerusform>%n operations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message>
        <source>Open an OpenAPI file from apis/ to see its operations here.</source>
        <translation>Open an OpenAPI file from apis/ to see its operations here.</translation>
    </message>
    <message>
        <source>Not an OpenAPI document yet: it needs an &lt;code&gt;openapi: 3.x&lt;/code&gt; or &lt;code&gt;swagger: &apos;2.0&apos;&lt;/code&gt; line.</source>
        <translation>Not an OpenAPI document yet: it needs an &lt;code&gt;openapi: 3.x&lt;/code&gt; or &lt;code&gt;swagger: &apos;2.0&apos;&lt;/code&gt; line.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>&lt;i&gt;The text does not parse right now; showing the last version that did.&lt;/i&gt;</source>
        <translation>&lt;i&gt;The text does not parse right now; showing the last version that did.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>operationId: %1</source>
        <translation>operationId: %1</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>line %1</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>in %1</translation>
    </message>
</context>
<context>
    <name>Gatehouse::PolicyListEditor</name>
    <message>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <source>Add a policy; new ones run last</source>
        <translation>Add a policy; new ones run last</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Remove the selected policy</source>
        <translation>Remove the selected policy</translation>
    </message>
    <message>
        <source>Run earlier</source>
        <translation>Run earlier</translation>
    </message>
    <message>
        <source>Run later</source>
        <translation>Run later</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ProblemsPane</name>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Location</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ProjectExplorer</name>
    <message>
        <source>Settings (gatehouse.yaml)</source>
        <translation>Settings (gatehouse.yaml)</translation>
    </message>
    <message>
        <source>No gatehouse.yaml: defaults apply</source>
        <translation>No gatehouse.yaml: defaults apply</translation>
    </message>
    <message>
        <source>APIs (%1)</source>
        <translation>APIs (%1)</translation>
    </message>
    <message>
        <source>gRPC services (%1)</source>
        <translation>gRPC services (%1)</translation>
    </message>
    <message>
        <source>bidi</source>
        <translation>bidi</translation>
    </message>
    <message>
        <source>client stream</source>
        <translation>client stream</translation>
    </message>
    <message>
        <source>server stream</source>
        <translation>server stream</translation>
    </message>
    <message>
        <source>unary</source>
        <translation>unary</translation>
    </message>
    <message>
        <source>Policies</source>
        <translation>Policies</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Keys</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ProjectTokens</name>
    <message>
        <source>Opening the project&apos;s issuer…</source>
        <translation>Opening the project&apos;s issuer…</translation>
    </message>
    <message>
        <source>No project is open.</source>
        <translation>No project is open.</translation>
    </message>
    <message>
        <source>The project&apos;s API-key issuer is disabled (security.apiKeys.enabled in gatehouse.yaml).</source>
        <translation>The project&apos;s API-key issuer is disabled (security.apiKeys.enabled in gatehouse.yaml).</translation>
    </message>
    <message>
        <source>The project&apos;s API-key issuer cannot be opened: %1</source>
        <translation>The project&apos;s API-key issuer cannot be opened: %1</translation>
    </message>
    <message>
        <source>The key was issued but not recorded: %1</source>
        <translation>The key was issued but not recorded: %1</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ReplayCompareView</name>
    <message>
        <source>no response</source>
        <translation>no response</translation>
    </message>
    <message>
        <source>Status %1</source>
        <translation>Status %1</translation>
    </message>
    <message>
        <source>(no difference)</source>
        <translation>(no difference)</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <source>Replayed now</source>
        <translation>Replayed now</translation>
    </message>
    <message>
        <source>Select a captured request and press Replay: it is sent again to the running gateway, with its current configuration, and both answers are compared here.</source>
        <translation>Select a captured request and press Replay: it is sent again to the running gateway, with its current configuration, and both answers are compared here.</translation>
    </message>
    <message>
        <source>Replaying %1 %2…</source>
        <translation>Replaying %1 %2…</translation>
    </message>
    <message>
        <source>%1: the replay got no answer: %2</source>
        <translation>%1: the replay got no answer: %2</translation>
    </message>
    <message>
        <source>Status %1 → %2</source>
        <translation>Status %1 → %2</translation>
    </message>
    <message>
        <source>(captured %1 of %2 bytes)</source>
        <translation>(captured %1 of %2 bytes)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Headers</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Body</translation>
    </message>
    <message>
        <source>The new request&apos;s trace did not arrive (is tracing off in gatehouse.yaml?): no explanation.</source>
        <translation>The new request&apos;s trace did not arrive (is tracing off in gatehouse.yaml?): no explanation.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ReplayDiff</name>
    <message>
        <source>(%1 bytes of binary data)</source>
        <translation>(%1 bytes of binary data)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::RequestHistory</name>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ResponseView</name>
    <message>
        <source>(empty body)</source>
        <translation>(empty body)</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Body</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Headers</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Raw</translation>
    </message>
    <message>
        <source>Pick an operation in the project tree, then Send (Ctrl+Enter). The answer appears here.</source>
        <translation>Pick an operation in the project tree, then Send (Ctrl+Enter). The answer appears here.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Waiting for the gateway to answer. Cancel stops the request.</source>
        <translation>Waiting for the gateway to answer. Cancel stops the request.</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>Timed out</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>
… (%1 not shown)</source>
        <translation>
… (%1 not shown)</translation>
    </message>
    <message>
        <source>Headers (%1)</source>
        <translation>Headers (%1)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::SettingsDialog</name>
    <message>
        <source>System size</source>
        <translation>System size</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <source>From the project</source>
        <translation>From the project</translation>
    </message>
    <message>
        <source>Reload the running gateway when a saved project is valid</source>
        <translation>Reload the running gateway when a saved project is valid</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>&amp;Palette:</source>
        <translation>&amp;Palette:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>A new language applies when Gatehouse is started again.</source>
        <translation>A new language applies when Gatehouse is started again.</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Appearance</translation>
    </message>
    <message>
        <source>&amp;Font size:</source>
        <translation>&amp;Font size:</translation>
    </message>
    <message>
        <source>By file type (YAML 2, others 4)</source>
        <translation>By file type (YAML 2, others 4)</translation>
    </message>
    <message>
        <source>%1 spaces</source>
        <translation>%1 spaces</translation>
    </message>
    <message>
        <source>&amp;Tab width:</source>
        <translation>&amp;Tab width:</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>Editor</translation>
    </message>
    <message>
        <source>The embedded gateway&apos;s listeners. These override gatehouse.yaml in the workbench only; gatehoused and exports are unaffected.</source>
        <translation>The embedded gateway&apos;s listeners. These override gatehouse.yaml in the workbench only; gatehoused and exports are unaffected.</translation>
    </message>
    <message>
        <source>&amp;HTTP port:</source>
        <translation>&amp;HTTP port:</translation>
    </message>
    <message>
        <source>HTTP&amp;S port:</source>
        <translation>HTTP&amp;S port:</translation>
    </message>
    <message>
        <source>&amp;Admin port:</source>
        <translation>&amp;Admin port:</translation>
    </message>
    <message>
        <source>&amp;Workers:</source>
        <translation>&amp;Workers:</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>Gateway</translation>
    </message>
</context>
<context>
    <name>Gatehouse::Theme</name>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Theme</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Light</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dark</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TokenInspector</name>
    <message>
        <source>Paste a JWT (three base64url parts separated by dots).</source>
        <translation>Paste a JWT (three base64url parts separated by dots).</translation>
    </message>
    <message>
        <source>Not a valid JWS: %1</source>
        <translation>Not a valid JWS: %1</translation>
    </message>
    <message>
        <source>The payload is not a JSON object: %1</source>
        <translation>The payload is not a JSON object: %1</translation>
    </message>
    <message>
        <source>Decoded only: no project is open to verify it against.</source>
        <translation>Decoded only: no project is open to verify it against.</translation>
    </message>
    <message>
        <source>The project trusts no issuer of JWTs (security.issuers is empty).</source>
        <translation>The project trusts no issuer of JWTs (security.issuers is empty).</translation>
    </message>
    <message>
        <source>Signature valid (issuer &apos;%1&apos;), but the key %2 is revoked.</source>
        <translation>Signature valid (issuer &apos;%1&apos;), but the key %2 is revoked.</translation>
    </message>
    <message>
        <source>Valid: verified by issuer &apos;%1&apos;.</source>
        <translation>Valid: verified by issuer &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Invalid: %1.</source>
        <translation>Invalid: %1.</translation>
    </message>
    <message>
        <source>Cannot verify yet: %1.</source>
        <translation>Cannot verify yet: %1.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TraceExplainer</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 days</translation>
    </message>
    <message>
        <source>%1 %2 ago</source>
        <translation>%1 %2 ago</translation>
    </message>
    <message>
        <source>%1, retry in %2</source>
        <translation>%1, retry in %2</translation>
    </message>
    <message>
        <source>%1; calls were admitted again %2 ago</source>
        <translation>%1; calls were admitted again %2 ago</translation>
    </message>
    <message>
        <source>an anonymous caller</source>
        <translation>an anonymous caller</translation>
    </message>
    <message>
        <source>&apos;%1&apos;</source>
        <translation>&apos;%1&apos;</translation>
    </message>
    <message>
        <source>Not routed: %1</source>
        <translation>Not routed: %1</translation>
    </message>
    <message>
        <source>The upstream failed: %1</source>
        <translation>The upstream failed: %1</translation>
    </message>
    <message>
        <source>Refused by %1 (%2): %3</source>
        <translation>Refused by %1 (%2): %3</translation>
    </message>
    <message>
        <source>Passed %1 (%2)%3</source>
        <translation>Passed %1 (%2)%3</translation>
    </message>
    <message>
        <source>No response: the client went away before the answer was complete.</source>
        <translation>No response: the client went away before the answer was complete.</translation>
    </message>
    <message>
        <source>Refused by authentication: %1.</source>
        <translation>Refused by authentication: %1.</translation>
    </message>
    <message>
        <source>Refused by authentication.</source>
        <translation>Refused by authentication.</translation>
    </message>
    <message>
        <source>Refused by authentication: no accepted credentials (the gateway asks for %1).</source>
        <translation>Refused by authentication: no accepted credentials (the gateway asks for %1).</translation>
    </message>
    <message>
        <source>Refused by authorization: %1 lacks a required scope%2.</source>
        <translation>Refused by authorization: %1 lacks a required scope%2.</translation>
    </message>
    <message>
        <source> (needs: %1)</source>
        <translation> (needs: %1)</translation>
    </message>
    <message>
        <source>Forbidden for %1%2.</source>
        <translation>Forbidden for %1%2.</translation>
    </message>
    <message>
        <source>Rate limited: %1 exceeded a limit</source>
        <translation>Rate limited: %1 exceeded a limit</translation>
    </message>
    <message>
        <source> (policy %1)</source>
        <translation> (policy %1)</translation>
    </message>
    <message>
        <source>; retry in %1 s</source>
        <translation>; retry in %1 s</translation>
    </message>
    <message>
        <source>The gateway answered %1 after trying the upstream %2.</source>
        <translation>The gateway answered %1 after trying the upstream %2.</translation>
    </message>
    <message>
        <source>Answered %1 by the gateway.</source>
        <translation>Answered %1 by the gateway.</translation>
    </message>
    <message>
        <source>Admitted for %1 and answered %2%3.</source>
        <translation>Admitted for %1 and answered %2%3.</translation>
    </message>
    <message>
        <source> by %1</source>
        <translation> by %1</translation>
    </message>
    <message>
        <source>Gateway error code: %1</source>
        <translation>Gateway error code: %1</translation>
    </message>
    <message>
        <source>(No policy decisions were recorded for this request; this explanation comes from its response.)</source>
        <translation>(No policy decisions were recorded for this request; this explanation comes from its response.)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TraceMessage</name>
    <message>
        <source>(%1 of binary data%2)</source>
        <translation>(%1 of binary data%2)</translation>
    </message>
    <message>
        <source>… (the first %1 of %2 were captured)</source>
        <translation>… (the first %1 of %2 were captured)</translation>
    </message>
    <message>
        <source>… (the exchange ended before the body did)</source>
        <translation>… (the exchange ended before the body did)</translation>
    </message>
    <message>
        <source>(bodies were not captured for this request)</source>
        <translation>(bodies were not captured for this request)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TraceReplayer</name>
    <message numerus="yes">
        <source>This request was recorded without its capture (capture was off, or it is older than the %n request(s) whose capture the Traces dock keeps): it cannot be resent.</source>
        <translation>
            <numerusform>This request was recorded without its capture (capture was off, or it is older than the %n request whose capture the Traces dock keeps): it cannot be resent.</numerusform>
            <numerusform>This request was recorded without its capture (capture was off, or it is older than the %n requests whose capture the Traces dock keeps): it cannot be resent.</numerusform>
        </translation>
    </message>
    <message>
        <source>The request body was truncated when captured (%1 of %2 bytes kept; the cap is telemetry.tracing.capture.maxBodyBytes): it cannot be resent faithfully.</source>
        <translation>The request body was truncated when captured (%1 of %2 bytes kept; the cap is telemetry.tracing.capture.maxBodyBytes): it cannot be resent faithfully.</translation>
    </message>
    <message>
        <source>The request body did not arrive whole (%1 bytes before the exchange ended): it cannot be resent faithfully.</source>
        <translation>The request body did not arrive whole (%1 bytes before the exchange ended): it cannot be resent faithfully.</translation>
    </message>
    <message>
        <source>A replay is in progress.</source>
        <translation>A replay is in progress.</translation>
    </message>
    <message>
        <source>The gateway is not running: start it to replay requests.</source>
        <translation>The gateway is not running: start it to replay requests.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TraceTableModel</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Path</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>Latency (ms)</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>Caller</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TraceWaterfall</name>
    <message>
        <source>%1 µs</source>
        <translation>%1 µs</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Select a request to see its spans</source>
        <translation>Select a request to see its spans</translation>
    </message>
    <message>
        <source>%1
starts at %2, takes %3%4</source>
        <translation>%1
starts at %2, takes %3%4</translation>
    </message>
    <message>
        <source>
failed or answered the request</source>
        <translation>
failed or answered the request</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TracesDock</name>
    <message numerus="yes">
        <source>%1 of %n request(s) (the last %2 are kept)</source>
        <translation>
            <numerusform>%1 of %n request (the last %2 are kept)</numerusform>
            <numerusform>%1 of %n requests (the last %2 are kept)</numerusform>
        </translation>
    </message>
    <message>
        <source>Search path, caller, status, trace id…</source>
        <translation>Search path, caller, status, trace id…</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>Errors (4xx, 5xx, none)</source>
        <translation>Errors (4xx, 5xx, none)</translation>
    </message>
    <message>
        <source>Refused (401, 403, 429)</source>
        <translation>Refused (401, 403, 429)</translation>
    </message>
    <message>
        <source>Client errors (4xx)</source>
        <translation>Client errors (4xx)</translation>
    </message>
    <message>
        <source>Server errors (5xx)</source>
        <translation>Server errors (5xx)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Stop adding requests to the table</source>
        <translation>Stop adding requests to the table</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>Latency (ms)</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>Explain</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>All APIs</source>
        <translation>All APIs</translation>
    </message>
    <message>
        <source>Select a request: why it was admitted, refused or failed appears here.</source>
        <translation>Select a request: why it was admitted, refused or failed appears here.</translation>
    </message>
    <message>
        <source>
trace %1 · from %2 · worker %3%4</source>
        <translation>
trace %1 · from %2 · worker %3%4</translation>
    </message>
    <message>
        <source> · upstream %1</source>
        <translation> · upstream %1</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>Replay</translation>
    </message>
    <message>
        <source>Send the selected request again through the gateway, with its current configuration, and compare the answers</source>
        <translation>Send the selected request again through the gateway, with its current configuration, and compare the answers</translation>
    </message>
    <message>
        <source>The embedded gateway keeps each traced request&apos;s target, credentials and first body bytes in memory, for Replay. gatehoused never captures.</source>
        <translation>The embedded gateway keeps each traced request&apos;s target, credentials and first body bytes in memory, for Replay. gatehoused never captures.</translation>
    </message>
    <message>
        <source>● Capturing requests for Replay (bodies up to %1)</source>
        <translation>● Capturing requests for Replay (bodies up to %1)</translation>
    </message>
    <message>
        <source>Select a request to replay.</source>
        <translation>Select a request to replay.</translation>
    </message>
    <message>
        <source>Replay refused: %1</source>
        <translation>Replay refused: %1</translation>
    </message>
    <message>
        <source>Request and Response</source>
        <translation>Request and Response</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TryIt</name>
    <message numerus="yes">
        <source>%n B</source>
        <translation>
            <numerusform>%n B</numerusform>
            <numerusform>%n B</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Gatehouse::TryItClient</name>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n ms</source>
        <translation>
            <numerusform>%n ms</numerusform>
            <numerusform>%n ms</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter a URL to send the request to.</source>
        <translation>Enter a URL to send the request to.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an http:// or https:// URL.</source>
        <translation>&apos;%1&apos; is not an http:// or https:// URL.</translation>
    </message>
    <message>
        <source>No response within %1, so the request was stopped. The gateway or its upstream may be slow or stuck; the timeout can be changed in the console&apos;s ⋯ menu.</source>
        <translation>No response within %1, so the request was stopped. The gateway or its upstream may be slow or stuck; the timeout can be changed in the console&apos;s ⋯ menu.</translation>
    </message>
    <message>
        <source>You cancelled the request.</source>
        <translation>You cancelled the request.</translation>
    </message>
    <message>
        <source>Nothing is listening on %1: the connection was refused. Is the gateway running on that port?</source>
        <translation>Nothing is listening on %1: the connection was refused. Is the gateway running on that port?</translation>
    </message>
    <message>
        <source>%1 closed the connection before it sent a response.</source>
        <translation>%1 closed the connection before it sent a response.</translation>
    </message>
    <message>
        <source>The host name &apos;%1&apos; could not be resolved. Check the URL for typos.</source>
        <translation>The host name &apos;%1&apos; could not be resolved. Check the URL for typos.</translation>
    </message>
    <message>
        <source>The connection to %1 timed out.</source>
        <translation>The connection to %1 timed out.</translation>
    </message>
    <message>
        <source>The TLS handshake with %1 failed (%2). For a self-signed gateway certificate, use the http:// listener.</source>
        <translation>The TLS handshake with %1 failed (%2). For a self-signed gateway certificate, use the http:// listener.</translation>
    </message>
    <message>
        <source>The network is not available right now.</source>
        <translation>The network is not available right now.</translation>
    </message>
    <message>
        <source>The URL&apos;s scheme &apos;%1&apos; is not supported; use http:// or https://.</source>
        <translation>The URL&apos;s scheme &apos;%1&apos; is not supported; use http:// or https://.</translation>
    </message>
    <message>
        <source>%1 answered with something that is not valid HTTP.</source>
        <translation>%1 answered with something that is not valid HTTP.</translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation>The request was cancelled.</translation>
    </message>
    <message>
        <source>The request to %1 failed: %2.</source>
        <translation>The request to %1 failed: %2.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TryItConsole</name>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Send the request through the gateway (Ctrl+Enter)</source>
        <translation>Send the request through the gateway (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>More: copy as curl, timeout, clear history</source>
        <translation>More: copy as curl, timeout, clear history</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>Copy as curl</translation>
    </message>
    <message>
        <source>Timeout…</source>
        <translation>Timeout…</translation>
    </message>
    <message>
        <source>Clear History</source>
        <translation>Clear History</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>Query</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Headers</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Body</translation>
    </message>
    <message>
        <source>Auth</source>
        <translation>Auth</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>no Content-Type</source>
        <translation>no Content-Type</translation>
    </message>
    <message>
        <source>Prettify JSON</source>
        <translation>Prettify JSON</translation>
    </message>
    <message>
        <source>Indent the body as JSON (also checks that it is valid JSON)</source>
        <translation>Indent the body as JSON (also checks that it is valid JSON)</translation>
    </message>
    <message>
        <source>Request body (sent with POST, PUT, PATCH …)</source>
        <translation>Request body (sent with POST, PUT, PATCH …)</translation>
    </message>
    <message>
        <source>Content type:</source>
        <translation>Content type:</translation>
    </message>
    <message>
        <source>Click a request to restore it</source>
        <translation>Click a request to restore it</translation>
    </message>
    <message>
        <source>Body •</source>
        <translation>Body •</translation>
    </message>
    <message>
        <source>Fill in {%1} in the URL first (Tab in the URL selects it).</source>
        <translation>Fill in {%1} in the URL first (Tab in the URL selects it).</translation>
    </message>
    <message>
        <source>The embedded gateway is not running, so nothing would answer on %1.</source>
        <translation>The embedded gateway is not running, so nothing would answer on %1.</translation>
    </message>
    <message>
        <source>Start Gateway and Send</source>
        <translation>Start Gateway and Send</translation>
    </message>
    <message>
        <source>The gateway did not start; the Problems pane says why.</source>
        <translation>The gateway did not start; the Problems pane says why.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Stop waiting for the answer (Esc)</source>
        <translation>Stop waiting for the answer (Esc)</translation>
    </message>
    <message>
        <source>The body is not valid JSON: %1 at line %2, column %3.</source>
        <translation>The body is not valid JSON: %1 at line %2, column %3.</translation>
    </message>
    <message>
        <source>Request Timeout</source>
        <translation>Request Timeout</translation>
    </message>
    <message>
        <source>Stop waiting for an answer after (seconds):</source>
        <translation>Stop waiting for an answer after (seconds):</translation>
    </message>
    <message>
        <source>History (%1)</source>
        <translation>History (%1)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::UrlEdit</name>
    <message>
        <source>http://127.0.0.1:9090/api/path — pick an operation in the project tree</source>
        <translation>http://127.0.0.1:9090/api/path — pick an operation in the project tree</translation>
    </message>
    <message>
        <source>The request URL. {Parameters} still to fill in are highlighted; Tab selects the next one.</source>
        <translation>The request URL. {Parameters} still to fill in are highlighted; Tab selects the next one.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::WelcomePage</name>
    <message numerus="yes">
        <source>%n operation(s)</source>
        <translation>
            <numerusform>%n operation</numerusform>
            <numerusform>%n operations</numerusform>
        </translation>
    </message>
    <message>
        <source>Start Gateway</source>
        <translation>Start Gateway</translation>
    </message>
    <message>
        <source>Open API</source>
        <translation>Open API</translation>
    </message>
    <message>
        <source>New Project…</source>
        <translation>New Project…</translation>
    </message>
    <message>
        <source>Open Project…</source>
        <translation>Open Project…</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Try it in three steps&lt;/b&gt;&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Start the embedded gateway (Ctrl+R).&lt;/li&gt;&lt;li&gt;Select an operation in the Project tree: the Try it console fills in the request.&lt;/li&gt;&lt;li&gt;Send it with Ctrl+Enter and read the status, headers and body.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Editing an API and saving it reloads the running gateway when the project is valid; the Problems pane lists what is not.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Try it in three steps&lt;/b&gt;&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Start the embedded gateway (Ctrl+R).&lt;/li&gt;&lt;li&gt;Select an operation in the Project tree: the Try it console fills in the request.&lt;/li&gt;&lt;li&gt;Send it with Ctrl+Enter and read the status, headers and body.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Editing an API and saving it reloads the running gateway when the project is valid; the Problems pane lists what is not.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Welcome to Gatehouse</source>
        <translation>Welcome to Gatehouse</translation>
    </message>
    <message>
        <source>&lt;p&gt;Design, secure and try APIs on this machine, through the same gateway that runs in production. Create a project from the template, or open a project folder.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Design, secure and try APIs on this machine, through the same gateway that runs in production. Create a project from the template, or open a project folder.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>no upstream yet</source>
        <translation>no upstream yet</translation>
    </message>
    <message>
        <source>&lt;li&gt;&lt;b&gt;%1 %2&lt;/b&gt; at &lt;code&gt;%3&lt;/code&gt;: %4, forwarded to &lt;code&gt;%5&lt;/code&gt;&lt;/li&gt;</source>
        <translation>&lt;li&gt;&lt;b&gt;%1 %2&lt;/b&gt; at &lt;code&gt;%3&lt;/code&gt;: %4, forwarded to &lt;code&gt;%5&lt;/code&gt;&lt;/li&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;This is the bundled &lt;b&gt;%1&lt;/b&gt; sample: a small pet shop API secured with OAuth2 tokens, API keys and Basic auth, with rate-limit tiers, and a gRPC greeter. Its upstream is expected on &lt;code&gt;127.0.0.1:8080&lt;/code&gt;; its &lt;code&gt;GET /health&lt;/code&gt; needs no credentials.&lt;/p&gt;</source>
        <translation>&lt;p&gt;This is the bundled &lt;b&gt;%1&lt;/b&gt; sample: a small pet shop API secured with OAuth2 tokens, API keys and Basic auth, with rate-limit tiers, and a gRPC greeter. Its upstream is expected on &lt;code&gt;127.0.0.1:8080&lt;/code&gt;; its &lt;code&gt;GET /health&lt;/code&gt; needs no credentials.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Project folder &lt;code&gt;%1&lt;/code&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Project folder &lt;code&gt;%1&lt;/code&gt;.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;No APIs yet: add an OpenAPI file under &lt;code&gt;apis/&lt;/code&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;No APIs yet: add an OpenAPI file under &lt;code&gt;apis/&lt;/code&gt;.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;gRPC: %1.&lt;/p&gt;</source>
        <translation>&lt;p&gt;gRPC: %1.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Gateway Running</source>
        <translation>Gateway Running</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1 is larger than 16 MiB; it is not read</source>
        <translation>%1 is larger than 16 MiB; it is not read</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>cannot read %1: %2</translation>
    </message>
    <message>
        <source>%1 is not a JSON array of keys (%2)</source>
        <translation>%1 is not a JSON array of keys (%2)</translation>
    </message>
    <message>
        <source>The project template is missing (%1).</source>
        <translation>The project template is missing (%1).</translation>
    </message>
    <message>
        <source>%1 already exists and is not empty; choose another name or folder.</source>
        <translation>%1 already exists and is not empty; choose another name or folder.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Cannot create the folder %1.</translation>
    </message>
    <message>
        <source>Cannot read the template file %1: %2</source>
        <translation>Cannot read the template file %1: %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Gatehouse: API workbench with an embedded API gateway.</source>
        <translation>Gatehouse: API workbench with an embedded API gateway.</translation>
    </message>
    <message>
        <source>Project folder to open (default: the last one, or the sample).</source>
        <translation>Project folder to open (default: the last one, or the sample).</translation>
    </message>
    <message>
        <source>Start the embedded gateway once the project is open.</source>
        <translation>Start the embedded gateway once the project is open.</translation>
    </message>
    <message>
        <source>Show the workbench in LANG (en, de) instead of the language chosen in Settings or the system&apos;s.</source>
        <translation>Show the workbench in LANG (en, de) instead of the language chosen in Settings or the system&apos;s.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ProtoOptionText</name>
    <message>
        <source>a /* comment is never closed</source>
        <translation>a /* comment is never closed</translation>
    </message>
    <message>
        <source>a string is not closed on its line</source>
        <translation>a string is not closed on its line</translation>
    </message>
    <message>
        <source>unknown security scheme &apos;%1&apos; (known: %2)</source>
        <translation>unknown security scheme &apos;%1&apos; (known: %2)</translation>
    </message>
    <message>
        <source>a scope cannot contain spaces: &apos;%1&apos;</source>
        <translation>a scope cannot contain spaces: &apos;%1&apos;</translation>
    </message>
    <message>
        <source>a throttling tier is one name</source>
        <translation>a throttling tier is one name</translation>
    </message>
    <message>
        <source>service %1 has no closing brace</source>
        <translation>service %1 has no closing brace</translation>
    </message>
    <message>
        <source>the file has unbalanced brackets</source>
        <translation>the file has unbalanced brackets</translation>
    </message>
    <message>
        <source>the file declares no service %1</source>
        <translation>the file declares no service %1</translation>
    </message>
    <message>
        <source>the file declares service %1 more than once</source>
        <translation>the file declares service %1 more than once</translation>
    </message>
    <message>
        <source>service %1 has unbalanced brackets</source>
        <translation>service %1 has unbalanced brackets</translation>
    </message>
    <message>
        <source>service %1 has no method %2</source>
        <translation>service %1 has no method %2</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ProtoServicesView</name>
    <message>
        <source>A tier of gatehouse.yaml; empty: none of its own</source>
        <translation>A tier of gatehouse.yaml; empty: none of its own</translation>
    </message>
    <message>
        <source>JWT, OAUTH2, APIKEY, BASIC or NONE</source>
        <translation>JWT, OAUTH2, APIKEY, BASIC or NONE</translation>
    </message>
    <message>
        <source>scopes, separated by spaces</source>
        <translation>scopes, separated by spaces</translation>
    </message>
    <message>
        <source>bidirectional streaming</source>
        <translation>bidirectional streaming</translation>
    </message>
    <message>
        <source>server streaming</source>
        <translation>server streaming</translation>
    </message>
    <message>
        <source>client streaming</source>
        <translation>client streaming</translation>
    </message>
    <message>
        <source>unary</source>
        <translation>unary</translation>
    </message>
    <message>
        <source>Service / method</source>
        <translation>Service / method</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Security</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scopes</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Tier</translation>
    </message>
    <message>
        <source>Double-click Security, Scopes or Tier to change the option in the text</source>
        <translation>Double-click Security, Scopes or Tier to change the option in the text</translation>
    </message>
    <message>
        <source>Not written: %1</source>
        <translation>Not written: %1</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>line %1: %2</translation>
    </message>
    <message>
        <source>The text does not parse (%1). The table shows the last version that did.</source>
        <translation>The text does not parse (%1). The table shows the last version that did.</translation>
    </message>
    <message>
        <source>The text does not parse (%1).</source>
        <translation>The text does not parse (%1).</translation>
    </message>
    <message>
        <source>This file declares no services.</source>
        <translation>This file declares no services.</translation>
    </message>
    <message>
        <source>project default</source>
        <translation>project default</translation>
    </message>
    <message>
        <source>No security option: the project&apos;s default security applies</source>
        <translation>No security option: the project&apos;s default security applies</translation>
    </message>
    <message>
        <source>Inherited from the service %1</source>
        <translation>Inherited from the service %1</translation>
    </message>
</context>
<context>
    <name>Gatehouse::PolicySampleRun</name>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>/base/path/resource?query</source>
        <translation>/base/path/resource?query</translation>
    </message>
    <message>
        <source>Name: value, one per line</source>
        <translation>Name: value, one per line</translation>
    </message>
    <message>
        <source>Sample request</source>
        <translation>Sample request</translation>
    </message>
    <message>
        <source>Request:</source>
        <translation>Request:</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>Headers:</translation>
    </message>
    <message>
        <source>Body:</source>
        <translation>Body:</translation>
    </message>
    <message>
        <source>What the upstream answers</source>
        <translation>What the upstream answers</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Request to the upstream</source>
        <translation>Request to the upstream</translation>
    </message>
    <message>
        <source>Response to the client</source>
        <translation>Response to the client</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Run</translation>
    </message>
    <message>
        <source>Run the policies on the sample (Ctrl+Return); nothing is sent anywhere</source>
        <translation>Run the policies on the sample (Ctrl+Return); nothing is sent anywhere</translation>
    </message>
    <message>
        <source>Request policies: %1&lt;br&gt;Response policies: %2</source>
        <translation>Request policies: %1&lt;br&gt;Response policies: %2</translation>
    </message>
    <message>
        <source>Request headers, line %1: not a header (Name: value)</source>
        <translation>Request headers, line %1: not a header (Name: value)</translation>
    </message>
    <message>
        <source>Upstream headers, line %1: not a header (Name: value)</source>
        <translation>Upstream headers, line %1: not a header (Name: value)</translation>
    </message>
    <message>
        <source>The path must start with /</source>
        <translation>The path must start with /</translation>
    </message>
    <message>
        <source>The policies cannot be built:
%1</source>
        <translation>The policies cannot be built:
%1</translation>
    </message>
    <message>
        <source>(not sent: a request policy answered)</source>
        <translation>(not sent: a request policy answered)</translation>
    </message>
    <message>
        <source>A policy answered with %1 instead of passing the exchange on.</source>
        <translation>A policy answered with %1 instead of passing the exchange on.</translation>
    </message>
    <message>
        <source>Run on a Sample Request</source>
        <translation>Run on a Sample Request</translation>
    </message>
</context>
<context>
    <name>Gatehouse::PolicySettingsForm</name>
    <message>
        <source>The policy &apos;%1&apos; is not in the registry: its settings are kept as written.</source>
        <translation>The policy &apos;%1&apos; is not in the registry: its settings are kept as written.</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <source>(default: %1)</source>
        <translation>(default: %1)</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>default: %1</translation>
    </message>
    <message>
        <source>one per line</source>
        <translation>one per line</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>name = value, one per line</source>
        <translation>name = value, one per line</translation>
    </message>
    <message>
        <source>Entries:</source>
        <translation>Entries:</translation>
    </message>
    <message>
        <source>Other:</source>
        <translation>Other:</translation>
    </message>
    <message>
        <source>Item %1</source>
        <translation>Item %1</translation>
    </message>
    <message>
        <source>Remove item %1</source>
        <translation>Remove item %1</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>Add item</translation>
    </message>
</context>
<context>
    <name>Gatehouse::GrpcCall</name>
    <message>
        <source>No answer within the deadline of %1 ms</source>
        <translation>No answer within the deadline of %1 ms</translation>
    </message>
    <message>
        <source>Connection to %1 failed: %2</source>
        <translation>Connection to %1 failed: %2</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>The HTTP/2 session could not be created</source>
        <translation>The HTTP/2 session could not be created</translation>
    </message>
    <message>
        <source>The request was refused before it was sent (a metadata name or value HTTP/2 does not allow)</source>
        <translation>The request was refused before it was sent (a metadata name or value HTTP/2 does not allow)</translation>
    </message>
    <message>
        <source>The gateway broke the HTTP/2 protocol</source>
        <translation>The gateway broke the HTTP/2 protocol</translation>
    </message>
    <message>
        <source>A compressed response message arrived; the workbench asked for none</source>
        <translation>A compressed response message arrived; the workbench asked for none</translation>
    </message>
    <message>
        <source>A response message of %1 bytes is over the workbench&apos;s limit</source>
        <translation>A response message of %1 bytes is over the workbench&apos;s limit</translation>
    </message>
    <message>
        <source>The stream was reset (HTTP/2 error %1) before a status arrived</source>
        <translation>The stream was reset (HTTP/2 error %1) before a status arrived</translation>
    </message>
    <message>
        <source>HTTP %1 without a gRPC status</source>
        <translation>HTTP %1 without a gRPC status</translation>
    </message>
    <message>
        <source>The call ended without a gRPC status</source>
        <translation>The call ended without a gRPC status</translation>
    </message>
    <message>
        <source>The response ended inside a message</source>
        <translation>The response ended inside a message</translation>
    </message>
    <message>
        <source>The gateway is shutting down and did not take the call</source>
        <translation>The gateway is shutting down and did not take the call</translation>
    </message>
</context>
<context>
    <name>Gatehouse::GrpcTryIt</name>
    <message>
        <source>&amp;Call</source>
        <translation>&amp;Call</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>metadata, one per line: authorization: Bearer …</source>
        <translation>metadata, one per line: authorization: Bearer …</translation>
    </message>
    <message>
        <source>Call the method through the embedded gateway (Ctrl+Return)</source>
        <translation>Call the method through the embedded gateway (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>Method:</translation>
    </message>
    <message>
        <source>Metadata:</source>
        <translation>Metadata:</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>(%1 bytes that do not decode: %2)</source>
        <translation>(%1 bytes that do not decode: %2)</translation>
    </message>
    <message>
        <source>Message %1 (+%2 ms):</source>
        <translation>Message %1 (+%2 ms):</translation>
    </message>
    <message>
        <source>The project declares no gRPC methods (protos/*.proto).</source>
        <translation>The project declares no gRPC methods (protos/*.proto).</translation>
    </message>
    <message>
        <source>%1 → stream of %2 (bidirectional; a JSON array sends several)</source>
        <translation>%1 → stream of %2 (bidirectional; a JSON array sends several)</translation>
    </message>
    <message>
        <source>stream of %1 → %2 (a JSON array sends several)</source>
        <translation>stream of %1 → %2 (a JSON array sends several)</translation>
    </message>
    <message>
        <source>%1 → stream of %2</source>
        <translation>%1 → stream of %2</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>The project&apos;s message types are not available: %1</source>
        <translation>The project&apos;s message types are not available: %1</translation>
    </message>
    <message>
        <source>Start the gateway first (Gateway ▸ Start Gateway)</source>
        <translation>Start the gateway first (Gateway ▸ Start Gateway)</translation>
    </message>
    <message>
        <source>The request is not JSON: %1 at offset %2</source>
        <translation>The request is not JSON: %1 at offset %2</translation>
    </message>
    <message>
        <source>The request must be a JSON object or an array of them</source>
        <translation>The request must be a JSON object or an array of them</translation>
    </message>
    <message>
        <source>The request must be a JSON object</source>
        <translation>The request must be a JSON object</translation>
    </message>
    <message>
        <source>Message %1: %2</source>
        <translation>Message %1: %2</translation>
    </message>
    <message>
        <source>Metadata line %1 is not &quot;name: value&quot;</source>
        <translation>Metadata line %1 is not &quot;name: value&quot;</translation>
    </message>
    <message>
        <source>Calling %1 …</source>
        <translation>Calling %1 …</translation>
    </message>
    <message>
        <source>Trailers:</source>
        <translation>Trailers:</translation>
    </message>
    <message>
        <source>%1 (%2), messages: %3, %4 ms</source>
        <translation>%1 (%2), messages: %3, %4 ms</translation>
    </message>
</context>
</TS>
