// libFuzzer target: any bytes through xmlToJson (and the result back through jsonToXml, which must
// accept what the reader produced), and through jsonToXml when they are JSON. Under the limits no
// input may crash, hang, leak or grow memory without bound.
#include "policies/transform/jsonxml.h"

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
    if (json.ok()) {
        // Element names the reader accepted are XML names: writing them back must succeed,
        // unless a name uses a prefix form the writer refuses ("xml..." reserved names).
        const Result<QByteArray> xml = jsonToXml(*json, QStringLiteral("root"), limits);
        if (xml.ok() && !xmlToJson(*xml, limits).ok())
            std::abort();   // what we wrote must read back
    }
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (!doc.isNull())
        (void)jsonToXml(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), QStringLiteral("root"), limits);
    return 0;
}
