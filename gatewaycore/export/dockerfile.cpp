// The Dockerfile of `gatehoused export --dockerfile`: multi-stage, Debian 12, consistent with the
// OCI image writer (ociimage.h: user, bundle path, entrypoint, environment, ports).
#include "dockerfile.h"

#include "ociimage.h"

namespace Gatehouse {

DockerfileOptions dockerfileOptions(const BundleResult &bundle, const QString &version)
{
    DockerfileOptions options;
    options.name = bundle.name;
    options.version = version;
    for (quint16 port : {bundle.httpPort, bundle.httpsPort, bundle.adminPort}) {
        if (port != 0)
            options.ports.append(port);
    }
    options.variables = bundle.variables;
    return options;
}

QStringList dockerBuildPackages()
{
    return {QStringLiteral("cmake"), QStringLiteral("ninja-build"), QStringLiteral("g++"), QStringLiteral("pkg-config"),
            QStringLiteral("qt6-base-dev"), QStringLiteral("qt6-httpserver-dev"), QStringLiteral("libssl-dev"),
            QStringLiteral("libyaml-cpp-dev"), QStringLiteral("libprotobuf-dev"), QStringLiteral("libprotoc-dev"),
            QStringLiteral("protobuf-compiler"), QStringLiteral("libnghttp2-dev"), QStringLiteral("liblua5.4-dev"),
            QStringLiteral("libhiredis-dev"), QStringLiteral("zlib1g-dev")};
}

QStringList dockerRuntimePackages()
{
    // libqt6network6 also carries the OpenSSL TLS plugin; libqt6httpserver6 pulls libqt6websockets6.
    // protobuf, yaml-cpp, nghttp2, Lua and hiredis are linked into gatehoused (GATEHOUSE_STATIC_DEPS).
    return {QStringLiteral("libqt6core6"), QStringLiteral("libqt6network6"), QStringLiteral("libqt6httpserver6"),
            QStringLiteral("libssl3"), QStringLiteral("zlib1g"), QStringLiteral("ca-certificates")};
}

namespace {

QString packageLines(const QStringList &packages)
{
    QString out;
    for (const QString &p : packages)
        out += QStringLiteral(" \\\n        %1").arg(p);
    return out;
}

QString jsonArray(const QStringList &items)
{
    QStringList quoted;
    for (const QString &i : items)
        quoted.append(u'"' + i + u'"');
    return u'[' + quoted.join(QStringLiteral(", ")) + u']';
}

// Label values and comments come from the project; keep them on one line and inside quotes.
QString oneLine(QString text)
{
    text.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    text.replace(u'\n', u' ').replace(u'\r', u' ');
    return text;
}

} // namespace

QByteArray dockerfileText(const DockerfileOptions &options)
{
    const QString bundle = imageBundlePath();
    const int uid = kImageUid;
    QString ports;
    for (quint16 p : options.ports)
        ports += (ports.isEmpty() ? QString() : QStringLiteral(" ")) + QString::number(p);
    QString variables;
    for (const EnvironmentVariable &v : options.variables) {
        variables += QStringLiteral("#   %1%2 - %3\n")
                         .arg(oneLine(v.name), v.secret ? QStringLiteral(" (secret)") : QString(), oneLine(v.meaning));
    }
    if (variables.isEmpty())
        variables = QStringLiteral("#   (none)\n");

    QString text = QStringLiteral(
        "# syntax=docker/dockerfile:1.4\n"
        "# Written by 'gatehoused export --dockerfile' for the project \"%1\" (Gatehouse %2).\n"
        "# The same image as 'gatehoused export --image' writes without a container engine, for teams\n"
        "# that build images themselves. Build it with the Gatehouse source tree as context and the\n"
        "# exported bundle as the named context \"bundle\":\n"
        "#\n"
        "#   docker buildx build -f Dockerfile --build-context bundle=BUNDLE_DIR -t gatehouse/NAME:TAG GATEHOUSE_SOURCE_DIR\n"
        "#\n"
        "# Variables the bundle reads at start (docs/export.md); pass secrets at run time, never here:\n"
        "%3"
        "\n"
        "FROM debian:12 AS build\n"
        "RUN apt-get update \\\n"
        "    && apt-get install -y --no-install-recommends%4 \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "WORKDIR /src\n"
        "COPY . .\n"
        "RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGATEHOUSE_BUILD_GUI=OFF \\\n"
        "        -DGATEHOUSE_BUILD_TESTS=OFF \\\n"
        "    && cmake --build /build --target gatehoused \\\n"
        "    && install -D -m 0755 /build/gatewaycore/daemon/gatehoused /out/usr/bin/gatehoused\n"
        "\n"
        "FROM debian:12-slim\n"
        "RUN apt-get update \\\n"
        "    && apt-get install -y --no-install-recommends%5 \\\n"
        "    && rm -rf /var/lib/apt/lists/* \\\n"
        "    && groupadd --system --gid %6 gatehouse \\\n"
        "    && useradd --system --uid %6 --gid %6 --home-dir %7 --shell /usr/sbin/nologin gatehouse\n"
        "COPY --from=build /out/usr/bin/gatehoused /usr/bin/gatehoused\n"
        "COPY --from=bundle --chown=0:0 . %7\n"
        "# Keys generated on first run (a self-signed TLS pair, the API-key signing key) go to keys/.\n"
        "RUN mkdir -p %7/keys && chown %6:%6 %7/keys && chmod 0700 %7/keys\n"
        "ENV HOME=/tmp \\\n"
        "    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \\\n"
        "    GATEHOUSE_ADMIN_ADDRESS=0.0.0.0\n"
        "LABEL org.opencontainers.image.title=\"%1\" \\\n"
        "      org.opencontainers.image.version=\"%2\" \\\n"
        "      org.opencontainers.image.description=\"Gatehouse API gateway serving the bundle of %1\"\n"
        "USER %6:%6\n"
        "WORKDIR %7\n"
        "EXPOSE %8\n"
        "STOPSIGNAL SIGTERM\n"
        "# Health: GET /health on the admin port answers 200 while the gateway serves. The image has no\n"
        "# HTTP client, so probe from outside (Kubernetes httpGet, a load balancer check).\n"
        "ENTRYPOINT %9\n")
                       // One multi-arg call: substituted text (project names) is never scanned again.
                       .arg(oneLine(options.name), oneLine(options.version), variables,
                            packageLines(dockerBuildPackages()), packageLines(dockerRuntimePackages()),
                            QString::number(uid), bundle, ports, jsonArray(imageEntrypoint()));
    return text.toUtf8();
}

} // namespace Gatehouse
