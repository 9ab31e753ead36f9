// NewProjectDialog: File ▸ New Project…: a name, a parent folder and the upstream URL; the project is
// a copy of the bundled template (resources/templates/default) with the name filled in.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QDialogButtonBox;

namespace Gatehouse {

// Copies templateDir into targetDir (created; must not exist or be empty), replacing @PROJECT_NAME@
// and @UPSTREAM_URL@ in every text file. Returns false with a sentence in *error.
bool createProjectFromTemplate(const QString &templateDir, const QString &targetDir,
                               const QString &name, const QString &upstreamUrl, QString *error);

// The template built into the application (a Qt resource, so it is there however it was installed).
QString defaultTemplateDir();

class NewProjectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NewProjectDialog(QWidget *parent = nullptr);

    QString projectName() const;
    QString projectDir() const;   // parent folder + name
    QString upstreamUrl() const;

    // Checks the fields; an empty result means they are fine.
    QString validationError() const;
    // Creates the project; on failure shows why and returns false (the dialog stays open).
    bool create();

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *folderEdit() const { return m_folder; }
    QLineEdit *upstreamEdit() const { return m_upstream; }

    void accept() override;

private:
    void updateState();

    QLineEdit *m_name;
    QLineEdit *m_folder;
    QLineEdit *m_upstream;
    QLabel *m_result;
    QDialogButtonBox *m_buttons;
};

} // namespace Gatehouse
