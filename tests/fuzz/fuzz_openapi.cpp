// libFuzzer target: any bytes as an OpenAPI file (YAML or JSON) through the whole loader, with a
// small project around it so relative $refs, chains and cycles across files are exercised too.
// Any input must give a model or diagnostics: no crash, no exception, no hang, no leak.
#include "project/openapiloader.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

namespace {

// Fragments the seeds refer to (refs-main.yaml) plus a cycle across two files.
const char *const kFragments[][2] = {
    {"apis/common/paths.yaml", "pets:\n  get:\n    parameters: [{$ref: 'parameters.json#/limit'}]\n"
                               "    responses: {'200': {description: ok, content: {application/json: "
                               "{schema: {$ref: 'schemas.yaml#/Pet'}}}}}\n"},
    {"apis/common/parameters.json", "{\"limit\": {\"name\": \"limit\", \"in\": \"query\"},"
                                    " \"verbose\": {\"$ref\": \"../more/flags.yaml#/verbose\"}}"},
    {"apis/common/schemas.yaml", "Pet: {type: object, properties: {owner: {$ref: '../more/people.yaml#/Person'}}}\n"
                                 "Tag: {$ref: '#/Tag'}\n"},
    {"apis/common/responses.yaml", "PetResponse: {description: a pet}\n"},
    {"apis/common/security.yaml", "apiKey: {type: apiKey, in: header, name: X-Key}\n"},
    {"apis/more/flags.yaml", "verbose: {name: verbose, in: query}\n"},
    {"apis/more/people.yaml", "Person: {properties: {friend: {$ref: '../common/schemas.yaml#/Pet'}}}\n"},
    {"apis/more/errors.yaml", "NotFound: {$ref: 'errors.yaml#/NotFound'}\n"},
    {"apis/more/bodies.yaml", "NewPet: {content: {application/json: {schema: {$ref: '../common/schemas.yaml#/Pet'}}}}\n"},
};

QString projectDir()
{
    static QTemporaryDir dir;   // removed at exit
    static const bool written = [] {
        for (const auto &fragment : kFragments) {
            const QString path = dir.filePath(QString::fromLatin1(fragment[0]));
            QDir().mkpath(QFileInfo(path).absolutePath());
            QFile file(path);
            if (file.open(QIODevice::WriteOnly))
                file.write(fragment[1]);
        }
        return true;
    }();
    (void)written;
    return dir.path();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    // The name decides how syntax errors are explained (.json) and where relative $refs start.
    const QString path = size % 2 ? QStringLiteral("apis/fuzz.json") : QStringLiteral("apis/fuzz.yaml");
    Gatehouse::Diagnostics diagnostics;
    const std::optional<Gatehouse::ApiSpec> api =
        Gatehouse::loadOpenApiText(projectDir(), path, bytes, diagnostics);
    // Touch what a caller touches: every message, and the upstream of every operation.
    (void)diagnostics.toString();
    if (api) {
        for (const Gatehouse::Operation &op : api->operations)
            (void)Gatehouse::effectiveEndpoints(*api, op).urls.size();
    }
    return 0;
}
