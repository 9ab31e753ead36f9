// UrlEdit: the try-it console's URL field; {path parameters} are highlighted and Tab walks them.
#pragma once

#include <QLineEdit>

namespace Gatehouse {

class UrlEdit : public QLineEdit
{
    Q_OBJECT
public:
    explicit UrlEdit(QWidget *parent = nullptr);

    // Selects the first {placeholder} at or after the cursor (wrapping); false when there is none.
    bool selectNextPlaceholder();

protected:
    bool focusNextPrevChild(bool next) override;
    bool event(QEvent *event) override;

private:
    void updateHighlight();
};

} // namespace Gatehouse
