"""The shared vocabulary: lists of coded items loaded from the data files in taxonomy/data/.

Other apps point at Item with on_delete=PROTECT and keep the code stable: an item that leaves its
file is retired, never deleted, so every record that used it still reads the same.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

CODE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"

code_validator = RegexValidator(
    CODE_PATTERN,
    "Use lower case letters, digits and single underscores, starting with a letter",
)


class Vocabulary(models.Model):
    code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField()
    version = models.PositiveIntegerField()
    position = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "vocabularies"

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(max_length=64, validators=[code_validator])
    label = models.CharField(max_length=200)
    explanation = models.TextField()
    # A list of short strings shown as examples; checked in clean().
    examples = models.JSONField(default=list, blank=True)
    # Grouping only, e.g. a grooming behaviour under its stage. May be in another vocabulary.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    significant = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    is_retired = models.BooleanField(default=False)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["vocabulary__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"], name="taxonomy_item_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(is_retired=False, retired_at__isnull=True)
                | models.Q(is_retired=True, retired_at__isnull=False),
                name="taxonomy_item_retired_at_matches",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if not isinstance(self.examples, list) or not all(
            isinstance(example, str) and example.strip() for example in self.examples
        ):
            raise ValidationError({"examples": "Examples must be a list of non-empty strings"})
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "An item cannot be its own parent"})
