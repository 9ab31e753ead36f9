// libFuzzer target: any bytes through xmlToJson (and the result back through jsonToXml, which must
// accept what the reader produced), and through jsonToXml when they are JSON. Under the limits no
// input may crash, hang, leak or grow memory without bound. jsonBodyToXml (the one-pass route the
// json-to-xml policy takes) must give exactly what parseJsonBody + jsonToXml give: the same XML
// or the same error; so must xmlBodyToJson and xmlToJson + QJsonDocument::toJson.
#include "policies/transform/jsonxml.h"
#include "policies/validate/operationschemas.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Gatehouse;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    JsonXmlLimits limits;
    limits.maxNodes = 10'000;
    const Result<QJsonValue> json = xmlToJson(bytes, limits);
    const Result<QByteArray> jsonText = xmlBodyToJson(bytes, limits);   // must be the same, as text
    if (jsonText.ok() != json.ok()
        || (json.ok() ? *jsonText != QJsonDocument(json->toObject()).toJson(QJsonDocument::Compact)
                      : jsonText.error().message != json.error().message))
        std::abort();
    if (json.ok()) {
        // Element names the reader accepted are XML names: writing them back must succeed,
        // unless a name uses a prefix form the writer refuses ("xml..." reserved names).
        const Result<QByteArray> xml = jsonToXml(*json, QStringLiteral("root"), limits);
        if (xml.ok() && !xmlToJson(*xml, limits).ok())
            std::abort();   // what we wrote must read back
    }
    limits.maxDepth = 16;
    const Result<QJsonValue> parsed = parseJsonBody(bytes, limits.maxDepth);
    const Result<QByteArray> twoSteps = parsed ? jsonToXml(*parsed, QStringLiteral("root"), limits) : Result<QByteArray>(parsed.error());
    const Result<QByteArray> direct = jsonBodyToXml(bytes, QStringLiteral("root"), limits);
    if (direct.ok() != twoSteps.ok() || (direct.ok() ? *direct != *twoSteps : direct.error().message != twoSteps.error().message))
        std::abort();   // the one-pass route must not differ from the two steps in anything
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (!doc.isNull())
        (void)jsonToXml(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), QStringLiteral("root"), limits);
    return 0;
}
