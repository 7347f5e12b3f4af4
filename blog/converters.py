"""Path converters for WordPress's date permalinks, shared by the apps that route under them."""

from django.urls import register_converter


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02}"


class FourDigitConverter(TwoDigitConverter):
    regex = "[0-9]{4}"

    def to_url(self, value):
        return f"{int(value):04}"


register_converter(TwoDigitConverter, "dd")
register_converter(FourDigitConverter, "yyyy")
