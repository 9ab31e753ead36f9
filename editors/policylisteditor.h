// PolicyListEditor: the ordered policies of one phase (x-gatehouse-request-policies or
// -response-policies) as a list to add to from the policy registry, remove from and reorder; the
// selected one's settings as a form generated from its schema, below the list.
#pragma once

#include <QJsonArray>
#include <QWidget>

class QListWidget;
class QToolButton;

namespace Gatehouse {

class PolicySettingsForm;

class PolicyListEditor : public QWidget
{
    Q_OBJECT
public:
    enum class Phase { Request = 1, Response };
    explicit PolicyListEditor(Phase phase, QWidget *parent = nullptr);

    // The attachments as written ({name, settings}); each keeps its settings through reordering.
    void setPolicies(const QJsonArray &policies);
    QJsonArray policies() const;

    // The registry's policies for this phase, offered by Add.
    QStringList availablePolicies() const;
    void addPolicy(const QString &name);
    void removeCurrent();
    void moveCurrent(int by);   // -1 up, +1 down

    QListWidget *list() const { return m_list; }
    PolicySettingsForm *settingsForm() const { return m_settings; }

signals:
    void changed();

private:
    void updateButtons();
    void showSettings();   // the form of the current item, hidden without one

    Phase m_phase;
    QListWidget *m_list;
    QToolButton *m_add;
    QToolButton *m_remove;
    QToolButton *m_up;
    QToolButton *m_down;
    PolicySettingsForm *m_settings;
};

} // namespace Gatehouse
