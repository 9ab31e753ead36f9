<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Gatehouse::AuthHelper</name>
    <message>
        <source>No credentials</source>
        <translation>Keine Anmeldedaten</translation>
    </message>
    <message>
        <source>Bearer token (OAuth2 / JWT)</source>
        <translation>Bearer-Token (OAuth2 / JWT)</translation>
    </message>
    <message>
        <source>API key header</source>
        <translation>API-Key-Header</translation>
    </message>
    <message>
        <source>Basic (user and password)</source>
        <translation>Basic (Benutzer und Passwort)</translation>
    </message>
    <message>
        <source>the key</source>
        <translation>der Schlüssel</translation>
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
        <translation>Schlüssel:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>Credentials:</source>
        <translation>Anmeldedaten:</translation>
    </message>
    <message>
        <source>No credentials header is added.</source>
        <translation>Es wird kein Header mit Anmeldedaten hinzugefügt.</translation>
    </message>
    <message>
        <source>Fill in the fields to add the header.</source>
        <translation>Füllen Sie die Felder aus, um den Header hinzuzufügen.</translation>
    </message>
    <message>
        <source>Adds: %1: %2</source>
        <translation>Fügt hinzu: %1: %2</translation>
    </message>
    <message>
        <source>eyJhbGciOi… (issue one in Keys and Tokens, or pick it above)</source>
        <translation>eyJhbGciOi… (unter Schlüssel und Token ausstellen oder oben wählen)</translation>
    </message>
    <message>
        <source>Issued key:</source>
        <translation>Ausgestellter Schlüssel:</translation>
    </message>
    <message>
        <source>Keys issued in Keys and Tokens that are neither revoked nor expired</source>
        <translation>Unter Schlüssel und Token ausgestellte Schlüssel, die weder widerrufen noch abgelaufen sind</translation>
    </message>
    <message>
        <source>Pick an issued key…</source>
        <translation>Ausgestellten Schlüssel wählen…</translation>
    </message>
    <message>
        <source>no scopes</source>
        <translation>keine Scopes</translation>
    </message>
    <message>
        <source>%1 · %2 · expires in %3</source>
        <translation>%1 · %2 · läuft in %3 ab</translation>
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
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Replace…</source>
        <translation>&amp;Ersetzen…</translation>
    </message>
    <message>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>&amp;Weitersuchen</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>&amp;Rückwärts suchen</translation>
    </message>
    <message>
        <source>&amp;Go to Line…</source>
        <translation>Gehe &amp;zu Zeile…</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ExportWizard</name>
    <message>
        <source>Export Project</source>
        <translation>Projekt exportieren</translation>
    </message>
    <message>
        <source>What to export</source>
        <translation>Was exportiert wird</translation>
    </message>
    <message>
        <source>A bundle is the project resolved and validated, ready for &apos;gatehoused serve&apos;. An image, manifests and a Dockerfile are made of the bundle.</source>
        <translation>Ein Bundle ist das aufgelöste und geprüfte Projekt, bereit für &apos;gatehoused serve&apos;. Image, Manifeste und Dockerfile werden aus dem Bundle erzeugt.</translation>
    </message>
    <message>
        <source>OCI container image (written without Docker or Podman)</source>
        <translation>OCI-Container-Image (ohne Docker oder Podman geschrieben)</translation>
    </message>
    <message>
        <source>The gatehoused binary the image ships</source>
        <translation>Das gatehoused-Binary, das das Image enthält</translation>
    </message>
    <message>
        <source>Kubernetes manifests (Deployment, Service, ConfigMap, Secret templates, HPA)</source>
        <translation>Kubernetes-Manifeste (Deployment, Service, ConfigMap, Secret-Vorlagen, HPA)</translation>
    </message>
    <message>
        <source>Dockerfile for building the image yourself (%1)</source>
        <translation>Dockerfile, um das Image selbst zu bauen (%1)</translation>
    </message>
    <message>
        <source>Bundle folder:</source>
        <translation>Bundle-Ordner:</translation>
    </message>
    <message>
        <source>Image file:</source>
        <translation>Image-Datei:</translation>
    </message>
    <message>
        <source>Image name:</source>
        <translation>Image-Name:</translation>
    </message>
    <message>
        <source>gatehoused:</source>
        <translation>gatehoused:</translation>
    </message>
    <message>
        <source>Manifests folder:</source>
        <translation>Manifest-Ordner:</translation>
    </message>
    <message>
        <source>Secrets</source>
        <translation>Geheimnisse</translation>
    </message>
    <message>
        <source>Private keys, password hashes and secrets of gatehouse.yaml.</source>
        <translation>Private Schlüssel, Passwort-Hashes und Geheimnisse aus gatehouse.yaml.</translation>
    </message>
    <message>
        <source>Leave them out: the bundle reads them from environment variables or mounted files (recommended)</source>
        <translation>Weglassen: Das Bundle liest sie aus Umgebungsvariablen oder eingehängten Dateien (empfohlen)</translation>
    </message>
    <message>
        <source>Include them as they are</source>
        <translation>Unverändert einschließen</translation>
    </message>
    <message>
        <source>&lt;b&gt;Warning:&lt;/b&gt; the bundle (and the image) will contain private keys and secrets in clear. Anyone who can read it can impersonate this gateway and its users: never commit, share or publish it.</source>
        <translation>&lt;b&gt;Warnung:&lt;/b&gt; Das Bundle (und das Image) enthält private Schlüssel und Geheimnisse im Klartext. Wer es lesen kann, kann sich als dieses Gateway und seine Benutzer ausgeben: Niemals committen, weitergeben oder veröffentlichen.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Choose the bundle&apos;s folder.</source>
        <translation>Wählen Sie den Ordner für das Bundle.</translation>
    </message>
    <message>
        <source>%1 exists and is not an empty folder.</source>
        <translation>%1 existiert und ist kein leerer Ordner.</translation>
    </message>
    <message>
        <source>Choose the image file.</source>
        <translation>Wählen Sie die Image-Datei.</translation>
    </message>
    <message>
        <source>No gatehoused binary to put into the image: install the gatehoused package or name the binary.</source>
        <translation>Kein gatehoused-Binary für das Image vorhanden: Installieren Sie das Paket gatehoused oder geben Sie das Binary an.</translation>
    </message>
    <message>
        <source>Choose the manifests&apos; folder.</source>
        <translation>Wählen Sie den Ordner für die Manifeste.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Writing the bundle…</source>
        <translation>Bundle wird geschrieben…</translation>
    </message>
    <message>
        <source>Writing the Dockerfile…</source>
        <translation>Dockerfile wird geschrieben…</translation>
    </message>
    <message>
        <source>Writing the image: file %1 of %2…</source>
        <translation>Image wird geschrieben: Datei %1 von %2…</translation>
    </message>
    <message>
        <source>Writing the Kubernetes manifests…</source>
        <translation>Kubernetes-Manifeste werden geschrieben…</translation>
    </message>
    <message>
        <source>The export failed.</source>
        <translation>Der Export ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Not exported: %1</source>
        <translation>Nicht exportiert: %1</translation>
    </message>
    <message>
        <source>Exported &apos;%1&apos;.</source>
        <translation>&apos;%1&apos; exportiert.</translation>
    </message>
    <message numerus="yes">
        <source>Bundle: %1 (%n file(s)). Run it with: gatehoused serve %1</source>
        <translation>
            <numerusform>Bundle: %1 (%n Datei). Starten mit: gatehoused serve %1</numerusform>
            <numerusform>Bundle: %1 (%n Dateien). Starten mit: gatehoused serve %1</numerusform>
        </translation>
    </message>
    <message>
        <source>WARNING: the bundle contains private keys and secrets in clear; keep it private.</source>
        <translation>WARNUNG: Das Bundle enthält private Schlüssel und Geheimnisse im Klartext; halten Sie es unter Verschluss.</translation>
    </message>
    <message>
        <source>  left out (secret): %1</source>
        <translation>  weggelassen (geheim): %1</translation>
    </message>
    <message>
        <source>  secret variable: %1 (%2)</source>
        <translation>  geheime Variable: %1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>Image: %1 as %2, %3 KiB, %n file(s), digest %4</source>
        <translation>
            <numerusform>Image: %1 als %2, %3 KiB, %n Datei, Digest %4</numerusform>
            <numerusform>Image: %1 als %2, %3 KiB, %n Dateien, Digest %4</numerusform>
        </translation>
    </message>
    <message>
        <source>  load it with: docker load -i %1 (or podman load, skopeo copy oci-archive:…)</source>
        <translation>  laden mit: docker load -i %1 (oder podman load, skopeo copy oci-archive:…)</translation>
    </message>
    <message>
        <source>Dockerfile: %1 (docker buildx build -f %1 --build-context bundle=%2 … GATEHOUSE_SOURCES)</source>
        <translation>Dockerfile: %1 (docker buildx build -f %1 --build-context bundle=%2 … GATEHOUSE_SOURCES)</translation>
    </message>
    <message>
        <source>Kubernetes: %1 in %2; fill in secret.yaml, then kubectl apply -f %2</source>
        <translation>Kubernetes: %1 in %2; secret.yaml ausfüllen, dann kubectl apply -f %2</translation>
    </message>
</context>
<context>
    <name>Gatehouse::FindBar</name>
    <message>
        <source>Match case</source>
        <translation>Groß-/Kleinschreibung beachten</translation>
    </message>
    <message>
        <source>Whole words</source>
        <translation>Ganze Wörter</translation>
    </message>
    <message>
        <source>Regular expression (\1 in the replacement inserts a group)</source>
        <translation>Regulärer Ausdruck (\1 in der Ersetzung fügt eine Gruppe ein)</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>Ersetzen durch</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>Vorheriger Treffer (Umschalt+F3)</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>Nächster Treffer (F3)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Schließen (Esc)</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>Replace All</source>
        <translation>Alle ersetzen</translation>
    </message>
    <message>
        <source>bad regex: %1</source>
        <translation>ungültiger regulärer Ausdruck: %1</translation>
    </message>
    <message>
        <source>no matches</source>
        <translation>keine Treffer</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n Treffer</numerusform>
            <numerusform>%n Treffer</numerusform>
        </translation>
    </message>
    <message>
        <source> · wrapped</source>
        <translation> · von vorn begonnen</translation>
    </message>
    <message numerus="yes">
        <source>replaced %n</source>
        <translation>
            <numerusform>%n ersetzt</numerusform>
            <numerusform>%n ersetzt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Gatehouse::GatewayController</name>
    <message>
        <source>&amp;Start Gateway</source>
        <translation>Gateway &amp;starten</translation>
    </message>
    <message>
        <source>S&amp;top Gateway</source>
        <translation>Gateway s&amp;toppen</translation>
    </message>
    <message>
        <source>&amp;Reload Gateway</source>
        <translation>Gateway &amp;neu laden</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Start the embedded gateway on this project (Ctrl+R)</source>
        <translation>Das eingebettete Gateway mit diesem Projekt starten (Strg+R)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>The gateway did not start: see Problems</source>
        <translation>Das Gateway wurde nicht gestartet: siehe Probleme</translation>
    </message>
    <message>
        <source>Gateway started on %1</source>
        <translation>Gateway gestartet auf %1</translation>
    </message>
    <message>
        <source>Gateway reloaded (config version %1)</source>
        <translation>Gateway neu geladen (Konfigurationsversion %1)</translation>
    </message>
    <message>
        <source>Reload refused: the project has errors; the gateway keeps config version %1</source>
        <translation>Neu laden abgelehnt: Das Projekt hat Fehler; das Gateway behält Konfigurationsversion %1</translation>
    </message>
    <message>
        <source>Gateway: stopped</source>
        <translation>Gateway: gestoppt</translation>
    </message>
    <message>
        <source>Gateway: starting…</source>
        <translation>Gateway: startet…</translation>
    </message>
    <message>
        <source>Gateway: stopping…</source>
        <translation>Gateway: stoppt…</translation>
    </message>
    <message>
        <source>Gateway: running — http :%1</source>
        <translation>Gateway: läuft — http :%1</translation>
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
        <translation> — Konfiguration v%1</translation>
    </message>
    <message>
        <source> — capturing for Replay</source>
        <translation> — Mitschnitt für Replay</translation>
    </message>
</context>
<context>
    <name>Gatehouse::GatewayForm</name>
    <message>
        <source>Run on a &amp;Sample…</source>
        <translation>An einem &amp;Beispiel ausführen…</translation>
    </message>
    <message>
        <source>Run the request and response policies on a sample request you edit, without the network</source>
        <translation>Die Anfrage- und Antwort-Policies an einer selbst bearbeiteten Beispielanfrage ausführen, ohne Netzwerk</translation>
    </message>
    <message>
        <source>Let requests through without credentials</source>
        <translation>Anfragen ohne Anmeldedaten durchlassen</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Anwenden</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Zurücksetzen</translation>
    </message>
    <message>
        <source>x-gatehouse-basePath: where the gateway exposes the API; {version} is replaced by info.version</source>
        <translation>x-gatehouse-basePath: wo das Gateway die API bereitstellt; {version} wird durch info.version ersetzt</translation>
    </message>
    <message>
        <source>Base path:</source>
        <translation>Basispfad:</translation>
    </message>
    <message>
        <source>One upstream URL per line; empty = servers[0]</source>
        <translation>Eine Upstream-URL pro Zeile; leer = servers[0]</translation>
    </message>
    <message>
        <source>Endpoints:</source>
        <translation>Endpunkte:</translation>
    </message>
    <message>
        <source>Single upstream</source>
        <translation>Einzelner Upstream</translation>
    </message>
    <message>
        <source>Load balance</source>
        <translation>Lastverteilung</translation>
    </message>
    <message>
        <source>Failover</source>
        <translation>Failover</translation>
    </message>
    <message>
        <source>Strategy:</source>
        <translation>Strategie:</translation>
    </message>
    <message>
        <source>Security:</source>
        <translation>Sicherheit:</translation>
    </message>
    <message>
        <source>A request needs the credentials of one checked scheme</source>
        <translation>Eine Anfrage braucht die Anmeldedaten eines der angehakten Schemata</translation>
    </message>
    <message>
        <source>pets:read pets:write</source>
        <translation>pets:read pets:write</translation>
    </message>
    <message>
        <source>x-gatehouse-scopes: scopes a token must carry, besides those in security</source>
        <translation>x-gatehouse-scopes: Scopes, die ein Token zusätzlich zu denen in security tragen muss</translation>
    </message>
    <message>
        <source>Scopes:</source>
        <translation>Scopes:</translation>
    </message>
    <message>
        <source>x-gatehouse-throttling-tier: a rate-limit tier from gatehouse.yaml</source>
        <translation>x-gatehouse-throttling-tier: eine Rate-Limit-Stufe aus gatehouse.yaml</translation>
    </message>
    <message>
        <source>Throttling tier:</source>
        <translation>Drosselungsstufe:</translation>
    </message>
    <message>
        <source>x-gatehouse-request-policies, run in this order</source>
        <translation>x-gatehouse-request-policies, in dieser Reihenfolge ausgeführt</translation>
    </message>
    <message>
        <source>Request policies:</source>
        <translation>Request-Policies:</translation>
    </message>
    <message>
        <source>x-gatehouse-response-policies, run in this order</source>
        <translation>x-gatehouse-response-policies, in dieser Reihenfolge ausgeführt</translation>
    </message>
    <message>
        <source>Response policies:</source>
        <translation>Response-Policies:</translation>
    </message>
    <message>
        <source>Open an OpenAPI file from apis/ to edit its gateway settings here.</source>
        <translation>Öffnen Sie eine OpenAPI-Datei aus apis/, um hier ihre Gateway-Einstellungen zu bearbeiten.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — the whole API</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — die gesamte API</translation>
    </message>
    <message>
        <source>/petstore/{version}</source>
        <translation>/petstore/{version}</translation>
    </message>
    <message>
        <source>Set on the whole API</source>
        <translation>Für die gesamte API festgelegt</translation>
    </message>
    <message>
        <source>Not set: no credentials needed</source>
        <translation>Nicht festgelegt: keine Anmeldedaten nötig</translation>
    </message>
    <message>
        <source>Same as the API</source>
        <translation>Wie die API</translation>
    </message>
    <message>
        <source>No credentials needed (security: [])</source>
        <translation>Keine Anmeldedaten nötig (security: [])</translation>
    </message>
    <message>
        <source>Any one of the checked schemes</source>
        <translation>Eines der angehakten Schemata</translation>
    </message>
    <message>
        <source>As written in the text (schemes combined)</source>
        <translation>Wie im Text angegeben (Schemata kombiniert)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>%1 (not defined)</source>
        <translation>%1 (nicht definiert)</translation>
    </message>
    <message>
        <source>Cannot write %1 here: %2</source>
        <translation>%1 kann hier nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>Gatehouse::GoToLineBar</name>
    <message>
        <source>Go to line:</source>
        <translation>Gehe zu Zeile:</translation>
    </message>
    <message>
        <source>line[:column]</source>
        <translation>Zeile[:Spalte]</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Schließen (Esc)</translation>
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
        <translation>alle</translation>
    </message>
    <message>
        <source>expired %1 ago</source>
        <translation>vor %1 abgelaufen</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>in %1</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
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
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
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
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Add a row</source>
        <translation>Eine Zeile hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected rows (Delete)</source>
        <translation>Die ausgewählten Zeilen entfernen (Entf)</translation>
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
        <translation>vor %1</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>Ausstellen</translation>
    </message>
    <message>
        <source>Issued Keys</source>
        <translation>Ausgestellte Schlüssel</translation>
    </message>
    <message>
        <source>JWKS</source>
        <translation>JWKS</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>Untersuchen</translation>
    </message>
    <message>
        <source>who the key is for, e.g. mobile-app</source>
        <translation>für wen der Schlüssel ist, z. B. mobile-app</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>&amp;Subject:</translation>
    </message>
    <message>
        <source>Scopes the project&apos;s APIs, operations and gRPC methods declare</source>
        <translation>Scopes, die die APIs, Operationen und gRPC-Methoden des Projekts deklarieren</translation>
    </message>
    <message>
        <source>S&amp;copes:</source>
        <translation>S&amp;copes:</translation>
    </message>
    <message>
        <source>None checked: the key may call every API</source>
        <translation>Keine angehakt: Der Schlüssel darf jede API aufrufen</translation>
    </message>
    <message>
        <source>Allowed &amp;APIs:</source>
        <translation>Erlaubte &amp;APIs:</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>Stunden</translation>
    </message>
    <message>
        <source>days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>The keytype claim: which endpoints (production or sandbox) the key reaches</source>
        <translation>Der keytype-Claim: welche Endpunkte (Produktion oder Sandbox) der Schlüssel erreicht</translation>
    </message>
    <message>
        <source>Validity:</source>
        <translation>Gültigkeit:</translation>
    </message>
    <message>
        <source>Custom claims as a JSON object, e.g. {&quot;tier&quot;: &quot;Gold&quot;}</source>
        <translation>Eigene Claims als JSON-Objekt, z. B. {&quot;tier&quot;: &quot;Gold&quot;}</translation>
    </message>
    <message>
        <source>C&amp;laims:</source>
        <translation>C&amp;laims:</translation>
    </message>
    <message>
        <source>Send &amp;as:</source>
        <translation>Sen&amp;den als:</translation>
    </message>
    <message>
        <source>&amp;Issue Key</source>
        <translation>Schlüssel ausst&amp;ellen</translation>
    </message>
    <message>
        <source>The signed key appears here</source>
        <translation>Der signierte Schlüssel erscheint hier</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Use in &amp;Try It</source>
        <translation>In &amp;Try It verwenden</translation>
    </message>
    <message>
        <source>The try-it console sends the key now</source>
        <translation>Die Try-it-Konsole sendet jetzt diesen Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation>&amp;Widerrufen</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Use in Try It</source>
        <translation>In Try It verwenden</translation>
    </message>
    <message>
        <source>The issuer&apos;s public keys, as the admin API serves them at /.well-known/jwks.json: give them to anyone who verifies its keys.</source>
        <translation>Die öffentlichen Schlüssel des Ausstellers, wie die Admin-API sie unter /.well-known/jwks.json ausliefert: Geben Sie sie jedem, der seine Schlüssel prüft.</translation>
    </message>
    <message>
        <source>Copy JWKS</source>
        <translation>JWKS kopieren</translation>
    </message>
    <message>
        <source>Paste a JWT or API key: it is decoded and verified against the project&apos;s issuers</source>
        <translation>Fügen Sie ein JWT oder einen API-Key ein: Er wird dekodiert und gegen die Aussteller des Projekts geprüft</translation>
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
        <translation>Bearer-Token (Authorization)</translation>
    </message>
    <message>
        <source>API key header (%1)</source>
        <translation>API-Key-Header (%1)</translation>
    </message>
    <message>
        <source>Keys issued here are recorded in %1 (readable by you only, never part of an export).</source>
        <translation>Hier ausgestellte Schlüssel werden in %1 verzeichnet (nur für Sie lesbar, nie Teil eines Exports).</translation>
    </message>
    <message>
        <source>A key needs a subject: who is it for?</source>
        <translation>Ein Schlüssel braucht ein Subject: Für wen ist er?</translation>
    </message>
    <message>
        <source>Claims: %1 at character %2</source>
        <translation>Claims: %1 bei Zeichen %2</translation>
    </message>
    <message>
        <source>Claims must be a JSON object, like {&quot;tier&quot;: &quot;Gold&quot;}</source>
        <translation>Claims müssen ein JSON-Objekt sein, etwa {&quot;tier&quot;: &quot;Gold&quot;}</translation>
    </message>
    <message>
        <source>Not issued: %1</source>
        <translation>Nicht ausgestellt: %1</translation>
    </message>
    <message>
        <source>Issued key %1 for &apos;%2&apos;, valid until %3.</source>
        <translation>Schlüssel %1 für &apos;%2&apos; ausgestellt, gültig bis %3.</translation>
    </message>
    <message>
        <source>Key copied to the clipboard</source>
        <translation>Schlüssel in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>Not revoked: %1</source>
        <translation>Nicht widerrufen: %1</translation>
    </message>
    <message>
        <source>Key %1 revoked: the gateway refuses it within a second</source>
        <translation>Schlüssel %1 widerrufen: Das Gateway weist ihn innerhalb einer Sekunde ab</translation>
    </message>
</context>
<context>
    <name>Gatehouse::Language</name>
    <message>
        <source>unknown language &apos;%1&apos; (known: %2)</source>
        <translation>unbekannte Sprache &apos;%1&apos; (bekannt: %2)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::MainWindow</name>
    <message>
        <source>gRPC Try It</source>
        <translation>gRPC ausprobieren</translation>
    </message>
    <message>
        <source>gRPC Services</source>
        <translation>gRPC-Dienste</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>Gliederung</translation>
    </message>
    <message>
        <source>Gateway Settings</source>
        <translation>Gateway-Einstellungen</translation>
    </message>
    <message>
        <source>Try It</source>
        <translation>Try It</translation>
    </message>
    <message>
        <source>Keys and Tokens</source>
        <translation>Schlüssel und Token</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Metriken</translation>
    </message>
    <message>
        <source>Traces</source>
        <translation>Traces</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+N</source>
        <translation>Ctrl+Shift+N</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Projekt ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;MGW Project…</source>
        <translation>&amp;MGW-Projekt öffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save A&amp;ll</source>
        <translation>&amp;Alles speichern</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <source>&amp;Close Tab</source>
        <translation>Tab s&amp;chließen</translation>
    </message>
    <message>
        <source>Re&amp;load Project</source>
        <translation>Projekt neu &amp;laden</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>Open a project to export it</source>
        <translation>Öffnen Sie ein Projekt, um es zu exportieren</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
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
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Gatehouse</source>
        <translation>&amp;Über Gatehouse</translation>
    </message>
    <message>
        <source>About Gatehouse</source>
        <translation>Über Gatehouse</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Gatehouse %1&lt;/h3&gt;&lt;p&gt;API workbench with an embedded API gateway.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Gatehouse %1&lt;/h3&gt;&lt;p&gt;API-Werkbank mit eingebettetem API-Gateway.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open Project Folder</source>
        <translation>Projektordner öffnen</translation>
    </message>
    <message>
        <source>Open WSO2 Microgateway 3.x Project</source>
        <translation>WSO2-Microgateway-3.x-Projekt öffnen</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n Fehler</numerusform>
            <numerusform>%n Fehler</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n Warnung</numerusform>
            <numerusform>%n Warnungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>Speichern fehlgeschlagen</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them?</source>
        <translation>%1 hat ungespeicherte Änderungen. Speichern?</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Replace…</source>
        <translation>&amp;Ersetzen…</translation>
    </message>
    <message>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <source>&amp;Go to Line…</source>
        <translation>Gehe &amp;zu Zeile…</translation>
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
        <translation>&apos;%1&apos; steht nicht im Dokument</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is written on one line; edit it in the text</source>
        <translation>&apos;%1&apos; steht in einer einzigen Zeile; bearbeiten Sie es im Text</translation>
    </message>
    <message>
        <source>the document is not a JSON object</source>
        <translation>das Dokument ist kein JSON-Objekt</translation>
    </message>
</context>
<context>
    <name>Gatehouse::MetricsDock</name>
    <message>
        <source>Show one API or one operation (latency, status and rate-limit charts)</source>
        <translation>Eine API oder eine Operation anzeigen (Diagramme für Latenz, Status und Rate Limits)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Freeze the charts; data keeps being recorded</source>
        <translation>Diagramme einfrieren; Daten werden weiter aufgezeichnet</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Back to the last five minutes, following new data (zoom with the wheel, pan by dragging)</source>
        <translation>Zurück zu den letzten fünf Minuten, neuen Daten folgend (Zoomen mit dem Mausrad, Verschieben durch Ziehen)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Charts as PNG…</source>
        <translation>Diagramme als PNG…</translation>
    </message>
    <message>
        <source>Export Charts</source>
        <translation>Diagramme exportieren</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Data as CSV…</source>
        <translation>Daten als CSV…</translation>
    </message>
    <message>
        <source>Export Metrics</source>
        <translation>Metriken exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Anzeigen:</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Datenverkehr</translation>
    </message>
    <message>
        <source>req/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Responses by status class</source>
        <translation>Antworten nach Statusklasse</translation>
    </message>
    <message>
        <source>Time per phase (mean, all APIs)</source>
        <translation>Zeit pro Phase (Mittelwert, alle APIs)</translation>
    </message>
    <message>
        <source>All requests</source>
        <translation>Alle Anfragen</translation>
    </message>
    <message>
        <source>API %1</source>
        <translation>API %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>%1 req/s · p50 %2 ms · p95 %3 ms · p99 %4 ms · %5 connections</source>
        <translation>%1 Anfragen/s · p50 %2 ms · p95 %3 ms · p99 %4 ms · %5 Verbindungen</translation>
    </message>
    <message>
        <source>Waiting for the gateway: charts fill once it runs</source>
        <translation>Warten auf das Gateway: Die Diagramme füllen sich, sobald es läuft</translation>
    </message>
</context>
<context>
    <name>Gatehouse::MetricsHistory</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
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
        <translation>Fehler/s</translation>
    </message>
    <message>
        <source>Rate-limited/s</source>
        <translation>Rate-limitiert/s</translation>
    </message>
    <message>
        <source>Auth failures/s</source>
        <translation>Auth-Fehler/s</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>%1 (ms)</source>
        <translation>%1 (ms)</translation>
    </message>
    <message>
        <source>Request duration percentile in that second, estimated from the histogram buckets</source>
        <translation>Perzentil der Anfragedauer in dieser Sekunde, geschätzt aus den Histogramm-Buckets</translation>
    </message>
    <message>
        <source>Responses with a 5xx status</source>
        <translation>Antworten mit 5xx-Status</translation>
    </message>
    <message>
        <source>Requests refused by rate limiting (per API or operation: its 429 responses)</source>
        <translation>Durch Rate Limiting abgewiesene Anfragen (pro API oder Operation: ihre 429-Antworten)</translation>
    </message>
    <message>
        <source>Open client connections</source>
        <translation>Offene Client-Verbindungen</translation>
    </message>
    <message>
        <source>Mean time a request spent in this phase (all APIs)</source>
        <translation>Mittlere Zeit einer Anfrage in dieser Phase (alle APIs)</translation>
    </message>
    <message>
        <source>Requests refused by authentication or authorization (per API or operation: its 401 and 403 responses)</source>
        <translation>Durch Authentifizierung oder Autorisierung abgewiesene Anfragen (pro API oder Operation: ihre 401- und 403-Antworten)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::MgwProject</name>
    <message>
        <source>Open MGW Project</source>
        <translation>MGW-Projekt öffnen</translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 is a WSO2 API Microgateway 3.x project. Gatehouse imports it into a new project folder and leaves MGW&apos;s files as they are:&lt;/p&gt;&lt;p&gt;&lt;b&gt;%2&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A report of what cannot be carried over is written there as IMPORT-REPORT.md.&lt;/p&gt;</source>
        <translation>&lt;p&gt;%1 ist ein Projekt für WSO2 API Microgateway 3.x. Gatehouse importiert es in einen neuen Projektordner und lässt die Dateien des MGW unverändert:&lt;/p&gt;&lt;p&gt;&lt;b&gt;%2&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Ein Bericht darüber, was nicht übernommen werden kann, wird dort als IMPORT-REPORT.md abgelegt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>Choose Folder…</source>
        <translation>Ordner wählen…</translation>
    </message>
    <message>
        <source>Folder for the Imported Project (new or empty)</source>
        <translation>Ordner für das importierte Projekt (neu oder leer)</translation>
    </message>
    <message>
        <source>&lt;p&gt;Imported into %1.&lt;/p&gt;&lt;p&gt;Carried over:&lt;/p&gt;</source>
        <translation>&lt;p&gt;Nach %1 importiert.&lt;/p&gt;&lt;p&gt;Übernommen:&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Not carried over:&lt;/p&gt;</source>
        <translation>&lt;p&gt;Nicht übernommen:&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The imported project has %1 and %2: see the Problems dock.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Das importierte Projekt hat %1 und %2: siehe den Bereich Probleme.&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n Fehler</numerusform>
            <numerusform>%n Fehler</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n Warnung</numerusform>
            <numerusform>%n Warnungen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 does not look like a WSO2 Microgateway 3.x project: it has no OpenAPI files under api_definitions/.</source>
        <translation>%1 sieht nicht wie ein Projekt für WSO2 Microgateway 3.x aus: Es hat keine OpenAPI-Dateien unter api_definitions/.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::NewProjectDialog</name>
    <message>
        <source>New Project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>Letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;. Also the name of the project&apos;s folder.</source>
        <translation>Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;. Zugleich der Name des Projektordners.</translation>
    </message>
    <message>
        <source>Where the first API&apos;s requests go (servers[0].url of apis/hello.yaml).</source>
        <translation>Wohin die Anfragen der ersten API gehen (servers[0].url von apis/hello.yaml).</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Create the Project In</source>
        <translation>Projekt anlegen in</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>A project with one API (GET /hello/v1/greeting, no credentials needed) that forwards to your service. Add APIs, security and limits later.</source>
        <translation>Ein Projekt mit einer API (GET /hello/v1/greeting, ohne Anmeldedaten), die an Ihren Dienst weiterleitet. APIs, Sicherheit und Limits fügen Sie später hinzu.</translation>
    </message>
    <message>
        <source>Create &amp;in:</source>
        <translation>Anlegen &amp;in:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Upstream URL:</source>
        <translation>&amp;Upstream-URL:</translation>
    </message>
    <message>
        <source>The name may use letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, and starts with a letter or digit.</source>
        <translation>Der Name darf Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; und &apos;-&apos; enthalten und beginnt mit einem Buchstaben oder einer Ziffer.</translation>
    </message>
    <message>
        <source>Choose the folder to create the project in (an absolute path).</source>
        <translation>Wählen Sie den Ordner, in dem das Projekt angelegt wird (ein absoluter Pfad).</translation>
    </message>
    <message>
        <source>The upstream URL must be an http:// or https:// URL, such as http://127.0.0.1:8080.</source>
        <translation>Die Upstream-URL muss eine http://- oder https://-URL sein, etwa http://127.0.0.1:8080.</translation>
    </message>
    <message>
        <source>%1 already exists and is not empty.</source>
        <translation>%1 existiert bereits und ist nicht leer.</translation>
    </message>
    <message>
        <source>Creates %1</source>
        <translation>Legt %1 an</translation>
    </message>
</context>
<context>
    <name>Gatehouse::OpenApiOutline</name>
    <message>
        <source>Open an OpenAPI file from apis/ to see its operations here.</source>
        <translation>Öffnen Sie eine OpenAPI-Datei aus apis/, um hier ihre Operationen zu sehen.</translation>
    </message>
    <message>
        <source>Not an OpenAPI document yet: it needs an &lt;code&gt;openapi: 3.x&lt;/code&gt; or &lt;code&gt;swagger: &apos;2.0&apos;&lt;/code&gt; line.</source>
        <translation>Noch kein OpenAPI-Dokument: Es braucht eine Zeile &lt;code&gt;openapi: 3.x&lt;/code&gt; oder &lt;code&gt;swagger: &apos;2.0&apos;&lt;/code&gt;.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s)</source>
        <translation>
            <numerusform>%n Operation</numerusform>
            <numerusform>%n Operationen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n Fehler</numerusform>
            <numerusform>%n Fehler</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n Warnung</numerusform>
            <numerusform>%n Warnungen</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;i&gt;The text does not parse right now; showing the last version that did.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Der Text lässt sich gerade nicht parsen; angezeigt wird die letzte Fassung, bei der es ging.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>operationId: %1</source>
        <translation>operationId: %1</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>Zeile %1</translation>
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
        <translation>Eine Policy hinzufügen; neue laufen zuletzt</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Remove the selected policy</source>
        <translation>Die ausgewählte Policy entfernen</translation>
    </message>
    <message>
        <source>Run earlier</source>
        <translation>Früher ausführen</translation>
    </message>
    <message>
        <source>Run later</source>
        <translation>Später ausführen</translation>
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
        <translation>Ort</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ProjectExplorer</name>
    <message>
        <source>Settings (gatehouse.yaml)</source>
        <translation>Einstellungen (gatehouse.yaml)</translation>
    </message>
    <message>
        <source>No gatehouse.yaml: defaults apply</source>
        <translation>Keine gatehouse.yaml: Es gelten die Voreinstellungen</translation>
    </message>
    <message>
        <source>APIs (%1)</source>
        <translation>APIs (%1)</translation>
    </message>
    <message>
        <source>gRPC services (%1)</source>
        <translation>gRPC-Dienste (%1)</translation>
    </message>
    <message>
        <source>bidi</source>
        <translation>bidirektional</translation>
    </message>
    <message>
        <source>client stream</source>
        <translation>Client-Stream</translation>
    </message>
    <message>
        <source>server stream</source>
        <translation>Server-Stream</translation>
    </message>
    <message>
        <source>unary</source>
        <translation>unär</translation>
    </message>
    <message>
        <source>Policies</source>
        <translation>Policies</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ProjectTokens</name>
    <message>
        <source>Opening the project&apos;s issuer…</source>
        <translation>Aussteller des Projekts wird geöffnet…</translation>
    </message>
    <message>
        <source>No project is open.</source>
        <translation>Kein Projekt geöffnet.</translation>
    </message>
    <message>
        <source>The project&apos;s API-key issuer is disabled (security.apiKeys.enabled in gatehouse.yaml).</source>
        <translation>Der API-Key-Aussteller des Projekts ist deaktiviert (security.apiKeys.enabled in gatehouse.yaml).</translation>
    </message>
    <message>
        <source>The project&apos;s API-key issuer cannot be opened: %1</source>
        <translation>Der API-Key-Aussteller des Projekts kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>The key was issued but not recorded: %1</source>
        <translation>Der Schlüssel wurde ausgestellt, aber nicht verzeichnet: %1</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ReplayCompareView</name>
    <message>
        <source>no response</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>Status %1</source>
        <translation>Status %1</translation>
    </message>
    <message>
        <source>(no difference)</source>
        <translation>(kein Unterschied)</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Aufgezeichnet</translation>
    </message>
    <message>
        <source>Replayed now</source>
        <translation>Jetzt wiederholt</translation>
    </message>
    <message>
        <source>Select a captured request and press Replay: it is sent again to the running gateway, with its current configuration, and both answers are compared here.</source>
        <translation>Wählen Sie eine mitgeschnittene Anfrage und drücken Sie Replay: Sie wird erneut an das laufende Gateway mit seiner aktuellen Konfiguration gesendet, und beide Antworten werden hier verglichen.</translation>
    </message>
    <message>
        <source>Replaying %1 %2…</source>
        <translation>Wiederhole %1 %2…</translation>
    </message>
    <message>
        <source>%1: the replay got no answer: %2</source>
        <translation>%1: die Wiederholung bekam keine Antwort: %2</translation>
    </message>
    <message>
        <source>Status %1 → %2</source>
        <translation>Status %1 → %2</translation>
    </message>
    <message>
        <source>(captured %1 of %2 bytes)</source>
        <translation>(%1 von %2 Bytes mitgeschnitten)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Body</translation>
    </message>
    <message>
        <source>The new request&apos;s trace did not arrive (is tracing off in gatehouse.yaml?): no explanation.</source>
        <translation>Der Trace der neuen Anfrage kam nicht an (ist Tracing in gatehouse.yaml aus?): keine Erklärung.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ReplayDiff</name>
    <message>
        <source>(%1 bytes of binary data)</source>
        <translation>(%1 Bytes Binärdaten)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::RequestHistory</name>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
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
        <translation>(leerer Body)</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Body</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Rohdaten</translation>
    </message>
    <message>
        <source>Pick an operation in the project tree, then Send (Ctrl+Enter). The answer appears here.</source>
        <translation>Wählen Sie eine Operation im Projektbaum, dann Senden (Strg+Enter). Die Antwort erscheint hier.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Waiting for the gateway to answer. Cancel stops the request.</source>
        <translation>Warten auf die Antwort des Gateways. Abbrechen stoppt die Anfrage.</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>
… (%1 not shown)</source>
        <translation>
… (%1 nicht angezeigt)</translation>
    </message>
    <message>
        <source>Headers (%1)</source>
        <translation>Header (%1)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::SettingsDialog</name>
    <message>
        <source>System size</source>
        <translation>Systemgröße</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <source>From the project</source>
        <translation>Aus dem Projekt</translation>
    </message>
    <message>
        <source>Reload the running gateway when a saved project is valid</source>
        <translation>Das laufende Gateway neu laden, wenn ein gespeichertes Projekt gültig ist</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>&amp;Palette:</source>
        <translation>&amp;Farbschema:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>A new language applies when Gatehouse is started again.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von Gatehouse.</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>&amp;Font size:</source>
        <translation>Schrift&amp;größe:</translation>
    </message>
    <message>
        <source>By file type (YAML 2, others 4)</source>
        <translation>Nach Dateityp (YAML 2, sonst 4)</translation>
    </message>
    <message>
        <source>%1 spaces</source>
        <translation>%1 Leerzeichen</translation>
    </message>
    <message>
        <source>&amp;Tab width:</source>
        <translation>&amp;Tabulatorbreite:</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>Editor</translation>
    </message>
    <message>
        <source>The embedded gateway&apos;s listeners. These override gatehouse.yaml in the workbench only; gatehoused and exports are unaffected.</source>
        <translation>Die Listener des eingebetteten Gateways. Sie überschreiben gatehouse.yaml nur in der Werkbank; gatehoused und Exporte bleiben unberührt.</translation>
    </message>
    <message>
        <source>&amp;HTTP port:</source>
        <translation>&amp;HTTP-Port:</translation>
    </message>
    <message>
        <source>HTTP&amp;S port:</source>
        <translation>HTTP&amp;S-Port:</translation>
    </message>
    <message>
        <source>&amp;Admin port:</source>
        <translation>&amp;Admin-Port:</translation>
    </message>
    <message>
        <source>&amp;Workers:</source>
        <translation>&amp;Worker:</translation>
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
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TokenInspector</name>
    <message>
        <source>Paste a JWT (three base64url parts separated by dots).</source>
        <translation>Fügen Sie ein JWT ein (drei base64url-Teile, durch Punkte getrennt).</translation>
    </message>
    <message>
        <source>Not a valid JWS: %1</source>
        <translation>Kein gültiges JWS: %1</translation>
    </message>
    <message>
        <source>The payload is not a JSON object: %1</source>
        <translation>Die Nutzdaten sind kein JSON-Objekt: %1</translation>
    </message>
    <message>
        <source>Decoded only: no project is open to verify it against.</source>
        <translation>Nur dekodiert: Es ist kein Projekt geöffnet, gegen das geprüft werden könnte.</translation>
    </message>
    <message>
        <source>The project trusts no issuer of JWTs (security.issuers is empty).</source>
        <translation>Das Projekt vertraut keinem JWT-Aussteller (security.issuers ist leer).</translation>
    </message>
    <message>
        <source>Signature valid (issuer &apos;%1&apos;), but the key %2 is revoked.</source>
        <translation>Signatur gültig (Aussteller &apos;%1&apos;), aber der Schlüssel %2 ist widerrufen.</translation>
    </message>
    <message>
        <source>Valid: verified by issuer &apos;%1&apos;.</source>
        <translation>Gültig: geprüft durch Aussteller &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Invalid: %1.</source>
        <translation>Ungültig: %1.</translation>
    </message>
    <message>
        <source>Cannot verify yet: %1.</source>
        <translation>Noch nicht prüfbar: %1.</translation>
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
        <source>%1 %2 ago</source>
        <translation>%1 vor %2</translation>
    </message>
    <message>
        <source>%1, retry in %2</source>
        <translation>%1, erneut versuchen in %2</translation>
    </message>
    <message>
        <source>%1; calls were admitted again %2 ago</source>
        <translation>%1; Aufrufe werden seit %2 wieder zugelassen</translation>
    </message>
    <message>
        <source>an anonymous caller</source>
        <translation>anonym</translation>
    </message>
    <message>
        <source>&apos;%1&apos;</source>
        <translation>&apos;%1&apos;</translation>
    </message>
    <message>
        <source>Not routed: %1</source>
        <translation>Nicht geroutet: %1</translation>
    </message>
    <message>
        <source>The upstream failed: %1</source>
        <translation>Der Upstream ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Refused by %1 (%2): %3</source>
        <translation>Abgewiesen von %1 (%2): %3</translation>
    </message>
    <message>
        <source>Passed %1 (%2)%3</source>
        <translation>Durchlaufen: %1 (%2)%3</translation>
    </message>
    <message>
        <source>No response: the client went away before the answer was complete.</source>
        <translation>Keine Antwort: Der Client hat die Verbindung getrennt, bevor die Antwort vollständig war.</translation>
    </message>
    <message>
        <source>Refused by authentication: %1.</source>
        <translation>Von der Authentifizierung abgewiesen: %1.</translation>
    </message>
    <message>
        <source>Refused by authentication.</source>
        <translation>Von der Authentifizierung abgewiesen.</translation>
    </message>
    <message>
        <source>Refused by authentication: no accepted credentials (the gateway asks for %1).</source>
        <translation>Von der Authentifizierung abgewiesen: keine akzeptierten Anmeldedaten (das Gateway verlangt %1).</translation>
    </message>
    <message>
        <source>Refused by authorization: %1 lacks a required scope%2.</source>
        <translation>Von der Autorisierung abgewiesen: Dem Aufrufer (%1) fehlt ein benötigter Scope%2.</translation>
    </message>
    <message>
        <source> (needs: %1)</source>
        <translation> (benötigt: %1)</translation>
    </message>
    <message>
        <source>Forbidden for %1%2.</source>
        <translation>Verboten für den Aufrufer (%1)%2.</translation>
    </message>
    <message>
        <source>Rate limited: %1 exceeded a limit</source>
        <translation>Rate Limit: Der Aufrufer (%1) hat ein Limit überschritten</translation>
    </message>
    <message>
        <source> (policy %1)</source>
        <translation> (Policy %1)</translation>
    </message>
    <message>
        <source>; retry in %1 s</source>
        <translation>; erneut versuchen in %1 s</translation>
    </message>
    <message>
        <source>The gateway answered %1 after trying the upstream %2.</source>
        <translation>Das Gateway antwortete %1, nachdem es den Upstream %2 versucht hatte.</translation>
    </message>
    <message>
        <source>Answered %1 by the gateway.</source>
        <translation>Vom Gateway mit %1 beantwortet.</translation>
    </message>
    <message>
        <source>Admitted for %1 and answered %2%3.</source>
        <translation>Für den Aufrufer (%1) zugelassen und mit %2%3 beantwortet.</translation>
    </message>
    <message>
        <source> by %1</source>
        <translation> von %1</translation>
    </message>
    <message>
        <source>Gateway error code: %1</source>
        <translation>Gateway-Fehlercode: %1</translation>
    </message>
    <message>
        <source>(No policy decisions were recorded for this request; this explanation comes from its response.)</source>
        <translation>(Für diese Anfrage wurden keine Policy-Entscheidungen aufgezeichnet; diese Erklärung stammt aus ihrer Antwort.)</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 Tage</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TraceMessage</name>
    <message>
        <source>(%1 of binary data%2)</source>
        <translation>(%1 Binärdaten%2)</translation>
    </message>
    <message>
        <source>… (the first %1 of %2 were captured)</source>
        <translation>… (die ersten %1 von %2 wurden aufgezeichnet)</translation>
    </message>
    <message>
        <source>… (the exchange ended before the body did)</source>
        <translation>… (der Austausch endete vor dem Ende des Bodys)</translation>
    </message>
    <message>
        <source>(bodies were not captured for this request)</source>
        <translation>(die Bodys dieser Anfrage wurden nicht aufgezeichnet)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TraceReplayer</name>
    <message numerus="yes">
        <source>This request was recorded without its capture (capture was off, or it is older than the %n request(s) whose capture the Traces dock keeps): it cannot be resent.</source>
        <translation>
            <numerusform>Diese Anfrage wurde ohne Mitschnitt aufgezeichnet (der Mitschnitt war aus, oder sie ist älter als die %n Anfrage, deren Mitschnitt das Traces-Fenster behält): sie kann nicht erneut gesendet werden.</numerusform>
            <numerusform>Diese Anfrage wurde ohne Mitschnitt aufgezeichnet (der Mitschnitt war aus, oder sie ist älter als die %n Anfragen, deren Mitschnitt das Traces-Fenster behält): sie kann nicht erneut gesendet werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>The request body was truncated when captured (%1 of %2 bytes kept; the cap is telemetry.tracing.capture.maxBodyBytes): it cannot be resent faithfully.</source>
        <translation>Der Anfrage-Body wurde beim Mitschnitt gekürzt (%1 von %2 Bytes behalten; die Grenze ist telemetry.tracing.capture.maxBodyBytes): sie kann nicht originalgetreu erneut gesendet werden.</translation>
    </message>
    <message>
        <source>The request body did not arrive whole (%1 bytes before the exchange ended): it cannot be resent faithfully.</source>
        <translation>Der Anfrage-Body kam nicht vollständig an (%1 Bytes, bevor der Austausch endete): sie kann nicht originalgetreu erneut gesendet werden.</translation>
    </message>
    <message>
        <source>A replay is in progress.</source>
        <translation>Eine Wiederholung läuft bereits.</translation>
    </message>
    <message>
        <source>The gateway is not running: start it to replay requests.</source>
        <translation>Das Gateway läuft nicht: starten Sie es, um Anfragen zu wiederholen.</translation>
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
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>Latenz (ms)</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>Aufrufer</translation>
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
        <translation>Wählen Sie eine Anfrage, um ihre Spans zu sehen</translation>
    </message>
    <message>
        <source>%1
starts at %2, takes %3%4</source>
        <translation>%1
beginnt bei %2, dauert %3%4</translation>
    </message>
    <message>
        <source>
failed or answered the request</source>
        <translation>
ist fehlgeschlagen oder hat die Anfrage beantwortet</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TracesDock</name>
    <message>
        <source>Search path, caller, status, trace id…</source>
        <translation>Pfad, Aufrufer, Status, Trace-ID suchen…</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <source>Errors (4xx, 5xx, none)</source>
        <translation>Fehler (4xx, 5xx, keiner)</translation>
    </message>
    <message>
        <source>Refused (401, 403, 429)</source>
        <translation>Abgewiesen (401, 403, 429)</translation>
    </message>
    <message>
        <source>Client errors (4xx)</source>
        <translation>Client-Fehler (4xx)</translation>
    </message>
    <message>
        <source>Server errors (5xx)</source>
        <translation>Server-Fehler (5xx)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Stop adding requests to the table</source>
        <translation>Keine weiteren Anfragen in die Tabelle aufnehmen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>Latenz (ms)</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>Erklären</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n request(s) (the last %2 are kept)</source>
        <translation>
            <numerusform>%1 von %n Anfrage (die letzten %2 werden behalten)</numerusform>
            <numerusform>%1 von %n Anfragen (die letzten %2 werden behalten)</numerusform>
        </translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>All APIs</source>
        <translation>Alle APIs</translation>
    </message>
    <message>
        <source>Select a request: why it was admitted, refused or failed appears here.</source>
        <translation>Wählen Sie eine Anfrage: Hier erscheint, warum sie zugelassen, abgewiesen oder fehlgeschlagen ist.</translation>
    </message>
    <message>
        <source>
trace %1 · from %2 · worker %3%4</source>
        <translation>
Trace %1 · von %2 · Worker %3%4</translation>
    </message>
    <message>
        <source> · upstream %1</source>
        <translation> · Upstream %1</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>Replay</translation>
    </message>
    <message>
        <source>Send the selected request again through the gateway, with its current configuration, and compare the answers</source>
        <translation>Die gewählte Anfrage erneut durch das Gateway mit seiner aktuellen Konfiguration senden und die Antworten vergleichen</translation>
    </message>
    <message>
        <source>The embedded gateway keeps each traced request&apos;s target, credentials and first body bytes in memory, for Replay. gatehoused never captures.</source>
        <translation>Das eingebettete Gateway behält von jeder getracten Anfrage Ziel, Zugangsdaten und die ersten Body-Bytes im Speicher, für Replay. gatehoused schneidet nie mit.</translation>
    </message>
    <message>
        <source>● Capturing requests for Replay (bodies up to %1)</source>
        <translation>● Mitschnitt für Replay (Bodys bis %1)</translation>
    </message>
    <message>
        <source>Select a request to replay.</source>
        <translation>Wählen Sie eine Anfrage zum Wiederholen.</translation>
    </message>
    <message>
        <source>Replay refused: %1</source>
        <translation>Replay abgelehnt: %1</translation>
    </message>
    <message>
        <source>Request and Response</source>
        <translation>Anfrage und Antwort</translation>
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
    <message>
        <source>Enter a URL to send the request to.</source>
        <translation>Geben Sie eine URL ein, an die die Anfrage gesendet wird.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an http:// or https:// URL.</source>
        <translation>&apos;%1&apos; ist keine http://- oder https://-URL.</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n Sekunde</numerusform>
            <numerusform>%n Sekunden</numerusform>
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
        <source>No response within %1, so the request was stopped. The gateway or its upstream may be slow or stuck; the timeout can be changed in the console&apos;s ⋯ menu.</source>
        <translation>Keine Antwort innerhalb von %1, daher wurde die Anfrage gestoppt. Das Gateway oder sein Upstream ist vielleicht langsam oder hängt; das Timeout lässt sich im Menü ⋯ der Konsole ändern.</translation>
    </message>
    <message>
        <source>You cancelled the request.</source>
        <translation>Sie haben die Anfrage abgebrochen.</translation>
    </message>
    <message>
        <source>Nothing is listening on %1: the connection was refused. Is the gateway running on that port?</source>
        <translation>Auf %1 lauscht nichts: Die Verbindung wurde abgelehnt. Läuft das Gateway auf diesem Port?</translation>
    </message>
    <message>
        <source>%1 closed the connection before it sent a response.</source>
        <translation>%1 hat die Verbindung geschlossen, bevor eine Antwort kam.</translation>
    </message>
    <message>
        <source>The host name &apos;%1&apos; could not be resolved. Check the URL for typos.</source>
        <translation>Der Hostname &apos;%1&apos; konnte nicht aufgelöst werden. Prüfen Sie die URL auf Tippfehler.</translation>
    </message>
    <message>
        <source>The connection to %1 timed out.</source>
        <translation>Zeitüberschreitung bei der Verbindung zu %1.</translation>
    </message>
    <message>
        <source>The TLS handshake with %1 failed (%2). For a self-signed gateway certificate, use the http:// listener.</source>
        <translation>Der TLS-Handshake mit %1 ist fehlgeschlagen (%2). Verwenden Sie bei einem selbst signierten Gateway-Zertifikat den http://-Listener.</translation>
    </message>
    <message>
        <source>The network is not available right now.</source>
        <translation>Das Netzwerk ist gerade nicht verfügbar.</translation>
    </message>
    <message>
        <source>The URL&apos;s scheme &apos;%1&apos; is not supported; use http:// or https://.</source>
        <translation>Das Schema &apos;%1&apos; der URL wird nicht unterstützt; verwenden Sie http:// oder https://.</translation>
    </message>
    <message>
        <source>%1 answered with something that is not valid HTTP.</source>
        <translation>%1 hat mit etwas geantwortet, das kein gültiges HTTP ist.</translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation>Die Anfrage wurde abgebrochen.</translation>
    </message>
    <message>
        <source>The request to %1 failed: %2.</source>
        <translation>Die Anfrage an %1 ist fehlgeschlagen: %2.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::TryItConsole</name>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Send the request through the gateway (Ctrl+Enter)</source>
        <translation>Die Anfrage über das Gateway senden (Strg+Enter)</translation>
    </message>
    <message>
        <source>More: copy as curl, timeout, clear history</source>
        <translation>Mehr: als curl kopieren, Timeout, Verlauf leeren</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>Als curl kopieren</translation>
    </message>
    <message>
        <source>Timeout…</source>
        <translation>Timeout…</translation>
    </message>
    <message>
        <source>Clear History</source>
        <translation>Verlauf leeren</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>Query</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
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
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>no Content-Type</source>
        <translation>kein Content-Type</translation>
    </message>
    <message>
        <source>Prettify JSON</source>
        <translation>JSON formatieren</translation>
    </message>
    <message>
        <source>Indent the body as JSON (also checks that it is valid JSON)</source>
        <translation>Den Body als JSON einrücken (prüft auch, ob er gültiges JSON ist)</translation>
    </message>
    <message>
        <source>Request body (sent with POST, PUT, PATCH …)</source>
        <translation>Request-Body (gesendet mit POST, PUT, PATCH …)</translation>
    </message>
    <message>
        <source>Content type:</source>
        <translation>Content-Type:</translation>
    </message>
    <message>
        <source>Click a request to restore it</source>
        <translation>Klicken Sie auf eine Anfrage, um sie wiederherzustellen</translation>
    </message>
    <message>
        <source>Body •</source>
        <translation>Body •</translation>
    </message>
    <message>
        <source>Fill in {%1} in the URL first (Tab in the URL selects it).</source>
        <translation>Füllen Sie zuerst {%1} in der URL aus (Tab in der URL wählt es aus).</translation>
    </message>
    <message>
        <source>The embedded gateway is not running, so nothing would answer on %1.</source>
        <translation>Das eingebettete Gateway läuft nicht, daher würde auf %1 nichts antworten.</translation>
    </message>
    <message>
        <source>Start Gateway and Send</source>
        <translation>Gateway starten und senden</translation>
    </message>
    <message>
        <source>The gateway did not start; the Problems pane says why.</source>
        <translation>Das Gateway wurde nicht gestartet; der Bereich Probleme sagt, warum.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop waiting for the answer (Esc)</source>
        <translation>Nicht länger auf die Antwort warten (Esc)</translation>
    </message>
    <message>
        <source>The body is not valid JSON: %1 at line %2, column %3.</source>
        <translation>Der Body ist kein gültiges JSON: %1 in Zeile %2, Spalte %3.</translation>
    </message>
    <message>
        <source>Request Timeout</source>
        <translation>Timeout der Anfrage</translation>
    </message>
    <message>
        <source>Stop waiting for an answer after (seconds):</source>
        <translation>Nicht länger auf eine Antwort warten nach (Sekunden):</translation>
    </message>
    <message>
        <source>History (%1)</source>
        <translation>Verlauf (%1)</translation>
    </message>
</context>
<context>
    <name>Gatehouse::UrlEdit</name>
    <message>
        <source>http://127.0.0.1:9090/api/path — pick an operation in the project tree</source>
        <translation>http://127.0.0.1:9090/api/path — wählen Sie eine Operation im Projektbaum</translation>
    </message>
    <message>
        <source>The request URL. {Parameters} still to fill in are highlighted; Tab selects the next one.</source>
        <translation>Die URL der Anfrage. Noch auszufüllende {Parameter} sind hervorgehoben; Tab wählt den nächsten aus.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::WelcomePage</name>
    <message>
        <source>Start Gateway</source>
        <translation>Gateway starten</translation>
    </message>
    <message>
        <source>Open API</source>
        <translation>API öffnen</translation>
    </message>
    <message>
        <source>New Project…</source>
        <translation>Neues Projekt…</translation>
    </message>
    <message>
        <source>Open Project…</source>
        <translation>Projekt öffnen…</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Try it in three steps&lt;/b&gt;&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Start the embedded gateway (Ctrl+R).&lt;/li&gt;&lt;li&gt;Select an operation in the Project tree: the Try it console fills in the request.&lt;/li&gt;&lt;li&gt;Send it with Ctrl+Enter and read the status, headers and body.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Editing an API and saving it reloads the running gateway when the project is valid; the Problems pane lists what is not.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;In drei Schritten ausprobieren&lt;/b&gt;&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Starten Sie das eingebettete Gateway (Strg+R).&lt;/li&gt;&lt;li&gt;Wählen Sie eine Operation im Projektbaum: Die Try-it-Konsole füllt die Anfrage aus.&lt;/li&gt;&lt;li&gt;Senden Sie sie mit Strg+Enter und lesen Sie Status, Header und Body.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Wenn Sie eine API bearbeiten und speichern, wird das laufende Gateway neu geladen, sofern das Projekt gültig ist; der Bereich Probleme listet auf, was nicht stimmt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Welcome to Gatehouse</source>
        <translation>Willkommen bei Gatehouse</translation>
    </message>
    <message>
        <source>&lt;p&gt;Design, secure and try APIs on this machine, through the same gateway that runs in production. Create a project from the template, or open a project folder.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Entwerfen, sichern und testen Sie APIs auf diesem Rechner, über dasselbe Gateway, das in Produktion läuft. Legen Sie ein Projekt aus der Vorlage an oder öffnen Sie einen Projektordner.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>no upstream yet</source>
        <translation>noch kein Upstream</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s)</source>
        <translation>
            <numerusform>%n Operation</numerusform>
            <numerusform>%n Operationen</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;li&gt;&lt;b&gt;%1 %2&lt;/b&gt; at &lt;code&gt;%3&lt;/code&gt;: %4, forwarded to &lt;code&gt;%5&lt;/code&gt;&lt;/li&gt;</source>
        <translation>&lt;li&gt;&lt;b&gt;%1 %2&lt;/b&gt; unter &lt;code&gt;%3&lt;/code&gt;: %4, weitergeleitet an &lt;code&gt;%5&lt;/code&gt;&lt;/li&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;This is the bundled &lt;b&gt;%1&lt;/b&gt; sample: a small pet shop API secured with OAuth2 tokens, API keys and Basic auth, with rate-limit tiers, and a gRPC greeter. Its upstream is expected on &lt;code&gt;127.0.0.1:8080&lt;/code&gt;; its &lt;code&gt;GET /health&lt;/code&gt; needs no credentials.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Dies ist das mitgelieferte Beispiel &lt;b&gt;%1&lt;/b&gt;: eine kleine Tierhandlungs-API, gesichert mit OAuth2-Token, API-Keys und Basic Auth, mit Rate-Limit-Stufen, dazu ein gRPC-Greeter. Ihr Upstream wird unter &lt;code&gt;127.0.0.1:8080&lt;/code&gt; erwartet; ihr &lt;code&gt;GET /health&lt;/code&gt; braucht keine Anmeldedaten.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Project folder &lt;code&gt;%1&lt;/code&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Projektordner &lt;code&gt;%1&lt;/code&gt;.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;No APIs yet: add an OpenAPI file under &lt;code&gt;apis/&lt;/code&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Noch keine APIs: Legen Sie eine OpenAPI-Datei unter &lt;code&gt;apis/&lt;/code&gt; an.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;gRPC: %1.&lt;/p&gt;</source>
        <translation>&lt;p&gt;gRPC: %1.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Gateway Running</source>
        <translation>Gateway läuft</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1 is larger than 16 MiB; it is not read</source>
        <translation>%1 ist größer als 16 MiB; die Datei wird nicht gelesen</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is not a JSON array of keys (%2)</source>
        <translation>%1 ist kein JSON-Array von Schlüsseln (%2)</translation>
    </message>
    <message>
        <source>The project template is missing (%1).</source>
        <translation>Die Projektvorlage fehlt (%1).</translation>
    </message>
    <message>
        <source>%1 already exists and is not empty; choose another name or folder.</source>
        <translation>%1 existiert bereits und ist nicht leer; wählen Sie einen anderen Namen oder Ordner.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot read the template file %1: %2</source>
        <translation>Die Vorlagendatei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Gatehouse: API workbench with an embedded API gateway.</source>
        <translation>Gatehouse: API-Werkbank mit eingebettetem API-Gateway.</translation>
    </message>
    <message>
        <source>Project folder to open (default: the last one, or the sample).</source>
        <translation>Zu öffnender Projektordner (Vorgabe: der zuletzt geöffnete oder das Beispiel).</translation>
    </message>
    <message>
        <source>Start the embedded gateway once the project is open.</source>
        <translation>Das eingebettete Gateway starten, sobald das Projekt geöffnet ist.</translation>
    </message>
    <message>
        <source>Show the workbench in LANG (en, de) instead of the language chosen in Settings or the system&apos;s.</source>
        <translation>Die Werkbank in LANG (en, de) anzeigen statt in der in den Einstellungen gewählten oder der des Systems.</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ProtoOptionText</name>
    <message>
        <source>a /* comment is never closed</source>
        <translation>ein /*-Kommentar wird nie geschlossen</translation>
    </message>
    <message>
        <source>a string is not closed on its line</source>
        <translation>eine Zeichenkette wird in ihrer Zeile nicht geschlossen</translation>
    </message>
    <message>
        <source>unknown security scheme &apos;%1&apos; (known: %2)</source>
        <translation>unbekanntes Sicherheitsschema &apos;%1&apos; (bekannt: %2)</translation>
    </message>
    <message>
        <source>a scope cannot contain spaces: &apos;%1&apos;</source>
        <translation>ein Scope darf keine Leerzeichen enthalten: &apos;%1&apos;</translation>
    </message>
    <message>
        <source>a throttling tier is one name</source>
        <translation>eine Drosselungsstufe ist ein einziger Name</translation>
    </message>
    <message>
        <source>service %1 has no closing brace</source>
        <translation>Dienst %1 hat keine schließende Klammer</translation>
    </message>
    <message>
        <source>the file has unbalanced brackets</source>
        <translation>die Datei hat unausgeglichene Klammern</translation>
    </message>
    <message>
        <source>the file declares no service %1</source>
        <translation>die Datei deklariert keinen Dienst %1</translation>
    </message>
    <message>
        <source>the file declares service %1 more than once</source>
        <translation>die Datei deklariert den Dienst %1 mehrfach</translation>
    </message>
    <message>
        <source>service %1 has unbalanced brackets</source>
        <translation>Dienst %1 hat unausgeglichene Klammern</translation>
    </message>
    <message>
        <source>service %1 has no method %2</source>
        <translation>Dienst %1 hat keine Methode %2</translation>
    </message>
</context>
<context>
    <name>Gatehouse::ProtoServicesView</name>
    <message>
        <source>A tier of gatehouse.yaml; empty: none of its own</source>
        <translation>Eine Stufe aus gatehouse.yaml; leer: keine eigene</translation>
    </message>
    <message>
        <source>JWT, OAUTH2, APIKEY, BASIC or NONE</source>
        <translation>JWT, OAUTH2, APIKEY, BASIC oder NONE</translation>
    </message>
    <message>
        <source>scopes, separated by spaces</source>
        <translation>Scopes, durch Leerzeichen getrennt</translation>
    </message>
    <message>
        <source>bidirectional streaming</source>
        <translation>bidirektionales Streaming</translation>
    </message>
    <message>
        <source>server streaming</source>
        <translation>Server-Streaming</translation>
    </message>
    <message>
        <source>client streaming</source>
        <translation>Client-Streaming</translation>
    </message>
    <message>
        <source>unary</source>
        <translation>unär</translation>
    </message>
    <message>
        <source>Service / method</source>
        <translation>Dienst / Methode</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scopes</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Double-click Security, Scopes or Tier to change the option in the text</source>
        <translation>Doppelklick auf Sicherheit, Scopes oder Stufe ändert die Option im Text</translation>
    </message>
    <message>
        <source>Not written: %1</source>
        <translation>Nicht geschrieben: %1</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>The text does not parse (%1). The table shows the last version that did.</source>
        <translation>Der Text lässt sich nicht lesen (%1). Die Tabelle zeigt die letzte lesbare Fassung.</translation>
    </message>
    <message>
        <source>The text does not parse (%1).</source>
        <translation>Der Text lässt sich nicht lesen (%1).</translation>
    </message>
    <message>
        <source>This file declares no services.</source>
        <translation>Diese Datei deklariert keine Dienste.</translation>
    </message>
    <message>
        <source>project default</source>
        <translation>Projektvorgabe</translation>
    </message>
    <message>
        <source>No security option: the project&apos;s default security applies</source>
        <translation>Keine Sicherheitsoption: die Vorgabe des Projekts gilt</translation>
    </message>
    <message>
        <source>Inherited from the service %1</source>
        <translation>Vom Dienst %1 geerbt</translation>
    </message>
</context>
<context>
    <name>Gatehouse::PolicySampleRun</name>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>/base/path/resource?query</source>
        <translation>/basis/pfad/ressource?abfrage</translation>
    </message>
    <message>
        <source>Name: value, one per line</source>
        <translation>Name: Wert, einer pro Zeile</translation>
    </message>
    <message>
        <source>Sample request</source>
        <translation>Beispielanfrage</translation>
    </message>
    <message>
        <source>Request:</source>
        <translation>Anfrage:</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>Header:</translation>
    </message>
    <message>
        <source>Body:</source>
        <translation>Body:</translation>
    </message>
    <message>
        <source>What the upstream answers</source>
        <translation>Was der Upstream antwortet</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Request to the upstream</source>
        <translation>Anfrage an den Upstream</translation>
    </message>
    <message>
        <source>Response to the client</source>
        <translation>Antwort an den Client</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <source>Run the policies on the sample (Ctrl+Return); nothing is sent anywhere</source>
        <translation>Die Policies am Beispiel ausführen (Strg+Eingabe); nichts wird irgendwohin gesendet</translation>
    </message>
    <message>
        <source>Request policies: %1&lt;br&gt;Response policies: %2</source>
        <translation>Anfrage-Policies: %1&lt;br&gt;Antwort-Policies: %2</translation>
    </message>
    <message>
        <source>Request headers, line %1: not a header (Name: value)</source>
        <translation>Anfrage-Header, Zeile %1: kein Header (Name: Wert)</translation>
    </message>
    <message>
        <source>Upstream headers, line %1: not a header (Name: value)</source>
        <translation>Upstream-Header, Zeile %1: kein Header (Name: Wert)</translation>
    </message>
    <message>
        <source>The path must start with /</source>
        <translation>Der Pfad muss mit / beginnen</translation>
    </message>
    <message>
        <source>The policies cannot be built:
%1</source>
        <translation>Die Policies lassen sich nicht aufbauen:
%1</translation>
    </message>
    <message>
        <source>(not sent: a request policy answered)</source>
        <translation>(nicht gesendet: eine Anfrage-Policy hat geantwortet)</translation>
    </message>
    <message>
        <source>A policy answered with %1 instead of passing the exchange on.</source>
        <translation>Eine Policy hat mit %1 geantwortet, statt den Austausch weiterzugeben.</translation>
    </message>
    <message>
        <source>Run on a Sample Request</source>
        <translation>An einer Beispielanfrage ausführen</translation>
    </message>
</context>
<context>
    <name>Gatehouse::PolicySettingsForm</name>
    <message>
        <source>The policy &apos;%1&apos; is not in the registry: its settings are kept as written.</source>
        <translation>Die Policy &apos;%1&apos; ist nicht in der Registry: ihre Einstellungen bleiben wie geschrieben.</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>(nicht gesetzt)</translation>
    </message>
    <message>
        <source>(default: %1)</source>
        <translation>(Vorgabe: %1)</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>Vorgabe: %1</translation>
    </message>
    <message>
        <source>one per line</source>
        <translation>einer pro Zeile</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Erforderlich</translation>
    </message>
    <message>
        <source>name = value, one per line</source>
        <translation>Name = Wert, einer pro Zeile</translation>
    </message>
    <message>
        <source>Entries:</source>
        <translation>Einträge:</translation>
    </message>
    <message>
        <source>Other:</source>
        <translation>Weitere:</translation>
    </message>
    <message>
        <source>Item %1</source>
        <translation>Eintrag %1</translation>
    </message>
    <message>
        <source>Remove item %1</source>
        <translation>Eintrag %1 entfernen</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>Eintrag hinzufügen</translation>
    </message>
</context>
<context>
    <name>Gatehouse::GrpcCall</name>
    <message>
        <source>No answer within the deadline of %1 ms</source>
        <translation>Keine Antwort innerhalb der Frist von %1 ms</translation>
    </message>
    <message>
        <source>Connection to %1 failed: %2</source>
        <translation>Verbindung zu %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>The HTTP/2 session could not be created</source>
        <translation>Die HTTP/2-Sitzung ließ sich nicht anlegen</translation>
    </message>
    <message>
        <source>The request was refused before it was sent (a metadata name or value HTTP/2 does not allow)</source>
        <translation>Die Anfrage wurde vor dem Senden abgelehnt (ein Metadaten-Name oder -Wert, den HTTP/2 nicht erlaubt)</translation>
    </message>
    <message>
        <source>The gateway broke the HTTP/2 protocol</source>
        <translation>Das Gateway hat das HTTP/2-Protokoll verletzt</translation>
    </message>
    <message>
        <source>A compressed response message arrived; the workbench asked for none</source>
        <translation>Eine komprimierte Antwortnachricht kam an; die Werkbank hat keine verlangt</translation>
    </message>
    <message>
        <source>A response message of %1 bytes is over the workbench&apos;s limit</source>
        <translation>Eine Antwortnachricht von %1 Bytes überschreitet die Grenze der Werkbank</translation>
    </message>
    <message>
        <source>The stream was reset (HTTP/2 error %1) before a status arrived</source>
        <translation>Der Stream wurde zurückgesetzt (HTTP/2-Fehler %1), bevor ein Status ankam</translation>
    </message>
    <message>
        <source>HTTP %1 without a gRPC status</source>
        <translation>HTTP %1 ohne gRPC-Status</translation>
    </message>
    <message>
        <source>The call ended without a gRPC status</source>
        <translation>Der Aufruf endete ohne gRPC-Status</translation>
    </message>
    <message>
        <source>The response ended inside a message</source>
        <translation>Die Antwort endete mitten in einer Nachricht</translation>
    </message>
    <message>
        <source>The gateway is shutting down and did not take the call</source>
        <translation>Das Gateway fährt herunter und hat den Aufruf nicht angenommen</translation>
    </message>
</context>
<context>
    <name>Gatehouse::GrpcTryIt</name>
    <message>
        <source>&amp;Call</source>
        <translation>&amp;Aufrufen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>metadata, one per line: authorization: Bearer …</source>
        <translation>Metadaten, eine pro Zeile: authorization: Bearer …</translation>
    </message>
    <message>
        <source>Call the method through the embedded gateway (Ctrl+Return)</source>
        <translation>Die Methode über das eingebettete Gateway aufrufen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>Methode:</translation>
    </message>
    <message>
        <source>Metadata:</source>
        <translation>Metadaten:</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>(%1 bytes that do not decode: %2)</source>
        <translation>(%1 Bytes, die sich nicht dekodieren lassen: %2)</translation>
    </message>
    <message>
        <source>Message %1 (+%2 ms):</source>
        <translation>Nachricht %1 (+%2 ms):</translation>
    </message>
    <message>
        <source>The project declares no gRPC methods (protos/*.proto).</source>
        <translation>Das Projekt deklariert keine gRPC-Methoden (protos/*.proto).</translation>
    </message>
    <message>
        <source>%1 → stream of %2 (bidirectional; a JSON array sends several)</source>
        <translation>%1 → Stream von %2 (bidirektional; ein JSON-Array sendet mehrere)</translation>
    </message>
    <message>
        <source>stream of %1 → %2 (a JSON array sends several)</source>
        <translation>Stream von %1 → %2 (ein JSON-Array sendet mehrere)</translation>
    </message>
    <message>
        <source>%1 → stream of %2</source>
        <translation>%1 → Stream von %2</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>The project&apos;s message types are not available: %1</source>
        <translation>Die Nachrichtentypen des Projekts sind nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Start the gateway first (Gateway ▸ Start Gateway)</source>
        <translation>Zuerst das Gateway starten (Gateway ▸ Gateway starten)</translation>
    </message>
    <message>
        <source>The request is not JSON: %1 at offset %2</source>
        <translation>Die Anfrage ist kein JSON: %1 an Position %2</translation>
    </message>
    <message>
        <source>The request must be a JSON object or an array of them</source>
        <translation>Die Anfrage muss ein JSON-Objekt oder ein Array davon sein</translation>
    </message>
    <message>
        <source>The request must be a JSON object</source>
        <translation>Die Anfrage muss ein JSON-Objekt sein</translation>
    </message>
    <message>
        <source>Message %1: %2</source>
        <translation>Nachricht %1: %2</translation>
    </message>
    <message>
        <source>Metadata line %1 is not &quot;name: value&quot;</source>
        <translation>Metadatenzeile %1 ist nicht &quot;name: wert&quot;</translation>
    </message>
    <message>
        <source>Calling %1 …</source>
        <translation>Rufe %1 auf …</translation>
    </message>
    <message>
        <source>Trailers:</source>
        <translation>Trailer:</translation>
    </message>
    <message>
        <source>%1 (%2), messages: %3, %4 ms</source>
        <translation>%1 (%2), Nachrichten: %3, %4 ms</translation>
    </message>
</context>
</TS>
