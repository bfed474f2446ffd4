from flask import render_template

from app.core.auth import role_required
from app.people import bp


@bp.route("/")
@role_required("admin")
def index():
    return render_template("errors/error.html", code=200, title="People", text="")
