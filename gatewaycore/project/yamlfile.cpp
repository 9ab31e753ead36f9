// Reading YAML files with yaml-cpp without letting its exceptions or 0-based marks leak out.
#include "yamlfile.h"

#include <QFile>

#include <string>

namespace Gatehouse {

std::optional<YAML::Node> parseYaml(const QByteArray &text, const QString &displayPath,
                                    Diagnostics &diagnostics)
{
    try {
        return YAML::Load(std::string(text.constData(), size_t(text.size())));
    } catch (const YAML::ParserException &e) {
        diagnostics.error({displayPath, e.mark.line + 1, e.mark.column + 1},
                          QStringLiteral("YAML syntax error: %1").arg(QString::fromStdString(e.msg)));
    } catch (const YAML::Exception &e) {
        diagnostics.error({displayPath, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                           e.mark.column >= 0 ? e.mark.column + 1 : 0},
                          QStringLiteral("cannot read YAML: %1").arg(QString::fromStdString(e.msg)));
    } catch (const std::exception &e) {
        diagnostics.error({displayPath, 0, 0},
                          QStringLiteral("cannot read YAML: %1").arg(QString::fromLocal8Bit(e.what())));
    }
    return std::nullopt;
}

std::optional<YAML::Node> loadYamlFile(const QString &absolutePath, const QString &displayPath,
                                       Diagnostics &diagnostics)
{
    QFile file(absolutePath);
    if (!file.open(QIODevice::ReadOnly)) {
        diagnostics.error({displayPath, 0, 0},
                          QStringLiteral("cannot read file: %1").arg(file.errorString()));
        return std::nullopt;
    }
    return parseYaml(file.readAll(), displayPath, diagnostics);
}

SourceLocation locationOf(const YAML::Node &node, const QString &displayPath)
{
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.line < 0)
        return {displayPath, 0, 0};
    return {displayPath, mark.line + 1, mark.column + 1};
}

QString yamlKindName(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Undefined: return QStringLiteral("nothing");
    case YAML::NodeType::Null: return QStringLiteral("null");
    case YAML::NodeType::Scalar: return QStringLiteral("a scalar");
    case YAML::NodeType::Sequence: return QStringLiteral("a sequence");
    case YAML::NodeType::Map: return QStringLiteral("a map");
    }
    return QStringLiteral("an unknown node");
}

} // namespace Gatehouse
