// ProtoCompletion: completion of Gatehouse's gRPC options in a .proto editor — (gatehouse.service)
// and (gatehouse.method), their fields, the Security and EndpointType values, and the project's
// throttling tiers — shown as you type after "(", ":" or a quote, or on Ctrl+Space.
#pragma once

#include <QObject>
#include <QStringList>

class QCompleter;
class QStringListModel;

namespace Gatehouse {

class CodeEditor;

// What to offer at the end of `textBeforeCursor`: the candidates (unfiltered) and the prefix
// already typed (which a chosen candidate replaces). No candidates: nothing to offer there.
struct ProtoCompletions
{
    QStringList candidates;
    QString prefix;
};
ProtoCompletions protoCompletions(QStringView textBeforeCursor, const QStringList &tiers);

class ProtoCompletion : public QObject
{
    Q_OBJECT
public:
    // Becomes a child of `editor` and completes in it.
    explicit ProtoCompletion(CodeEditor *editor);

    static ProtoCompletion *of(const CodeEditor *editor);
    void setTiers(const QStringList &tiers);   // the tiers of gatehouse.yaml
    QCompleter *completer() const { return m_completer; }

    // Offers what fits at the cursor; with `explicitly` (Ctrl+Space) also without a trigger.
    void update(bool explicitly);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void insert(const QString &completion);

    CodeEditor *m_editor;
    QCompleter *m_completer;
    QStringListModel *m_model;
    QStringList m_tiers;
    QString m_prefix;
};

} // namespace Gatehouse
