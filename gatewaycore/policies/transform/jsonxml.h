// JSON <-> XML conversion by fixed, documented rules (docs/policies.md "JSON and XML"), for the
// transform policies once the data plane has a body hook. Bounded on hostile input: size, depth,
// node count; no DTD, so no entity expansion.
#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace Gatehouse {

struct JsonXmlLimits
{
    qint64 maxInputBytes = 1024 * 1024;
    int maxDepth = 64;              // nesting of elements / JSON containers
    qint64 maxNodes = 100'000;      // elements, attributes and values
};

// Rules, JSON -> XML:
//  * An object with exactly one member whose value is not an array becomes that root element;
//    anything else is wrapped in <`rootName`>.
//  * A member "name": value becomes <name>value</name>; an array value repeats <name> per item.
//  * A member "@name" (scalar) becomes an attribute of the enclosing element; "#text" its text.
//  * Names are XML qualified names as written ("soap:Body"); "@xmlns" and "@xmlns:p" members
//    declare namespaces. A name that is not a valid XML name is an error (nothing is escaped).
//  * Scalars are written as text: strings as they are, numbers in JSON form, true/false; null
//    gives an empty element. Text is escaped by the writer; characters XML 1.0 cannot carry
//    (control characters other than tab, LF, CR; U+FFFE, U+FFFF) are dropped, and a string with
//    an unpaired UTF-16 surrogate is an error.
// Rules, XML -> JSON:
//  * The root element <r> becomes {"r": content}.
//  * Content: an element without attributes and child elements is its text (a string), or null
//    when empty. Otherwise an object: attributes as "@name", child elements by qualified name
//    (one -> the value, several of the same name -> an array, in document order), and non-blank
//    text as "#text". Numbers and booleans stay strings (XML has no types).
//  * Prefixes are kept as written, xmlns declarations become "@xmlns"/"@xmlns:p" attributes.
//  * Comments and processing instructions are dropped; a DTD is refused, so no entity other than
//    the predefined five (and character references) can appear, and nothing expands.
// Round trip: XML -> JSON -> XML gives the same elements, attributes and text (not whitespace,
// comments, or the order between differently named siblings); JSON -> XML -> JSON is the identity
// for documents in the form above with strings as scalars and arrays of two or more items.
Result<QByteArray> jsonToXml(const QJsonValue &json, const QString &rootName = QStringLiteral("root"),
                             const JsonXmlLimits &limits = {});
// A JSON body (bytes) to XML: the same XML, or the same error, as parseJsonBody(body,
// limits.maxDepth) followed by jsonToXml, but for bodies in the usual form (plain ASCII member
// names, no duplicates) in one pass over the bytes, without building a QJsonDocument.
Result<QByteArray> jsonBodyToXml(const QByteArray &body, const QString &rootName = QStringLiteral("root"),
                                 const JsonXmlLimits &limits = {});
Result<QJsonValue> xmlToJson(const QByteArray &xml, const JsonXmlLimits &limits = {});
// The same conversion as compact JSON text: what QJsonDocument(xmlToJson(xml)->toObject())
// .toJson(QJsonDocument::Compact) gives (or the same error), written straight from the document
// without building the QJsonObjects.
Result<QByteArray> xmlBodyToJson(const QByteArray &xml, const JsonXmlLimits &limits = {});

} // namespace Gatehouse
