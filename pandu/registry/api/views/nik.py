"""The NIK and KK number check over the API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from pandu.core.ratelimit import ScopedThrottle
from pandu.regions.queries import district_exists

from ...nik import check_nik
from .. import serializers as s

NIK_CHECK_EXAMPLES = [
    OpenApiExample(
        "Valid NIK of a woman",
        request_only=True,
        value={"nik": "7309134505900001", "birth_date": "1990-05-05", "sex": "P"},
    ),
    OpenApiExample(
        "Valid",
        response_only=True,
        value={
            "valid": True,
            "errors": [],
            "warnings": [],
            "sex": "P",
            "district_code": "73.09.13",
        },
    ),
    OpenApiExample(
        "Spreadsheet damage",
        response_only=True,
        value={
            "valid": False,
            "errors": [
                "NIK tertulis dalam notasi ilmiah (seperti 3,57301E+15): spreadsheet seperti "
                "Excel mengubah NIK menjadi angka dan digit-digit terakhirnya hilang. Format "
                "kolom NIK sebagai Teks, lalu ketik ulang NIK dari KTP atau KK."
            ],
            "warnings": [],
            "sex": None,
            "district_code": None,
        },
    ),
    OpenApiExample(
        "Unknown region prefix and recorded sex differs",
        response_only=True,
        value={
            "valid": True,
            "errors": [],
            "warnings": [
                "Kode wilayah 95.01.01 pada NIK tidak ada dalam daftar wilayah saat ini "
                "(mungkin wilayah baru atau hasil pemekaran). Periksa kembali; NIK tetap dapat "
                "disimpan.",
                "NIK menunjukkan perempuan (tanggal lahir ditambah 40), tetapi jenis kelamin "
                "yang tercatat laki-laki.",
            ],
            "sex": "P",
            "district_code": "95.01.01",
        },
    ),
]


class NikCheckView(APIView):
    """Check one NIK without saving anything: what is wrong with it, and what it says."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "nik_check"

    @extend_schema(
        operation_id="nik_check",
        summary="Check a NIK (and compare it with a recorded birth date and sex)",
        description=(
            "Messages follow `Accept-Language` (`id` or `en`). `errors` make the NIK invalid; "
            "`warnings` (unknown region prefix, birth date or sex that disagree with the NIK) do "
            "not. The NIK is never stored or logged. Also answers at `nik/check/`."
        ),
        request=s.NikCheckSerializer,
        responses={
            200: s.NikCheckResultSerializer,
            400: OpenApiResponse(
                description="Malformed body, e.g. `nik` sent as a number, a list, or missing."
            ),
        },
        parameters=[
            OpenApiParameter(
                "Accept-Language",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="`id` (default) or `en`.",
                enum=["id", "en"],
            )
        ],
        examples=NIK_CHECK_EXAMPLES,
    )
    def post(self, request, *args, **kwargs):
        ser = s.NikCheckSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        result = check_nik(
            data["nik"],
            birth_date=data.get("birth_date"),
            sex=data.get("sex") or None,
            known_district=district_exists,
        )
        return Response(
            {
                "valid": result.valid,
                "errors": [i.message for i in result.errors],
                "warnings": [i.message for i in (*result.warnings, *result.flags)],
                "sex": result.sex,
                "district_code": result.district_code,
            }
        )


@extend_schema(exclude=True)
class NikCheckSlashView(NikCheckView):
    """The same check at ``nik/check/``, left out of the schema to keep one operation."""
