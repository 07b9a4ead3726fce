// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func resendFields(raw []byte, keys []string) (map[string]any, error) {
	fields, err := stringFields(raw, keys)
	if err != nil {
		return nil, err
	}
	body := make(map[string]any, len(fields)+8)
	for k, v := range fields {
		body[k] = v
	}
	return body, nil
}

func setIf[T any](body map[string]any, key string, v *T) {
	if v != nil {
		body[key] = *v
	}
}
