// libFuzzer target: policy settings and a sample exchange through the registry and the interceptor
// stage (runPolicySandbox, the workbench's "Run on a sample request"), so each policy's settings
// checks, its factory and its request, body and response hooks see hostile input. The input is four
// sections separated by a line "%%":
//   request policies (a JSON array of {"name", "settings"}), response policies (the same),
//   the request body (first line: its Content-Type), the upstream's response body (the same).
// Any input must end as diagnostics or a result: no crash, no hang, no unbounded memory.
#include "policies/registry/policysandbox.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

namespace {

using namespace Gatehouse;

QList<PolicyAttachment> attachments(const QByteArray &json)
{
    QList<PolicyAttachment> out;
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    int line = 1;
    for (const QJsonValue &v : doc.array()) {
        const QJsonObject o = v.toObject();
        out.append({o.value(QLatin1String("name")).toString(), o.value(QLatin1String("settings")).toObject(),
                    {QStringLiteral("apis/fuzz.yaml"), line++, 7}});
    }
    return out;
}

// "Content-Type\nbody" → the type (may be empty) and the body.
QPair<QByteArray, QByteArray> typedBody(const QByteArray &section)
{
    const qsizetype eol = section.indexOf('\n');
    if (eol < 0)
        return {section, {}};
    return {section.left(eol), section.mid(eol + 1)};
}

QList<QByteArray> splitSections(const QByteArray &bytes)
{
    QList<QByteArray> out;
    qsizetype from = 0;
    for (qsizetype at; (at = bytes.indexOf("\n%%\n", from)) >= 0; from = at + 4)
        out.append(bytes.mid(from, at - from));
    out.append(bytes.mid(from));
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<QByteArray> sections = splitSections(bytes);
    auto section = [&](int i) { return i < sections.size() ? sections[i] : QByteArray(); };

    // One empty project for the whole run: the services generate the project's API-key issuer keys
    // in it once (without a folder the sandbox makes a scratch one, and new keys, per run).
    static const QTemporaryDir project;
    PolicySandboxInput in;
    in.projectDir = project.path();
    in.apiName = QStringLiteral("Fuzz");
    in.apiVersion = QStringLiteral("v1");
    in.basePath = QStringLiteral("/fuzz/v1");
    in.operationId = QStringLiteral("updatePet");
    in.operationMethod = QStringLiteral("PUT");
    in.pathTemplate = QStringLiteral("/pets/{id}");
    in.requestPolicies = attachments(section(0));
    in.responsePolicies = attachments(section(1));

    const auto [requestType, requestBody] = typedBody(section(2));
    in.request.method = "PUT";
    in.request.path = "/fuzz/v1/pets/7";
    in.request.query = "?expand=owner&x=%41";
    in.request.headers = {{"host", "fuzz.example"}, {"accept", "application/json"}, {"x-request-id", "abc"}};
    if (!requestType.isEmpty())
        in.request.headers.append({"content-type", requestType});
    in.request.body = requestBody;

    const auto [responseType, responseBody] = typedBody(section(3));
    in.upstreamResponse.status = 200;
    in.upstreamResponse.headers = {{"cache-control", "max-age=60"}};
    if (!responseType.isEmpty())
        in.upstreamResponse.headers.append({"content-type", responseType});
    in.upstreamResponse.body = responseBody;

    const PolicySandboxResult result = runPolicySandbox(in);
    // Refused settings build nothing; a built chain leaves no error behind.
    if (result.built == (result.diagnostics.errorCount() > 0))
        __builtin_trap();
    (void)result.diagnostics.toString();
    return 0;
}
